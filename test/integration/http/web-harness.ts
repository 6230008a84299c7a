import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { parseConfigText } from "../../../src/config/load.ts";
import { createHttpServer } from "../../../src/http/server.ts";
import type { WebOptions } from "../../../src/http/web.ts";
import { silentLogger } from "../../../src/log.ts";
import { refreshFeed } from "../../../src/pipeline/refresh-feed.ts";
import { AppContext } from "../../../src/runtime/context.ts";
import { SubscriptionStore } from "../../../src/subscriptions/store.ts";
import { type RunningWorkers, startWorkers } from "../../../workers/index.ts";
import { dropPrefix, REDIS_URL, uniquePrefix } from "../../helpers/redis.ts";
import { type SmtpSink, startSmtpSink } from "../channels/smtp-sink.ts";

export const ADMIN_TOKEN = "admin-token-for-tests-0123456789";

export interface WebHarness {
  ctx: AppContext;
  app: FastifyInstance;
  smtp: SmtpSink;
  prefix: string;
  subscriptions: SubscriptionStore;
  /** Ids of the watchlists the running rules have beyond the config file's. */
  apiWatchlistIds(): string[];
  /** Polls one feed the way the daemon's poll worker does. */
  poll(feedId: string): ReturnType<typeof refreshFeed>;
  startDeliveryWorkers(): void;
  /** Waits until the SMTP sink holds `count` messages. */
  waitForMail(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export function baseYaml(extra = ""): string {
  return `
http:
  publicUrl: "http://localhost:8787"
  adminToken: "${ADMIN_TOKEN}"
  secret: "link-secret-for-tests-0123456789"
email: { from: "Newswatch <alerts@newswatch.local>" }
security: { allowPrivateNetworks: true }
watchlists:
  - id: iraq-base-attacks
    title: Rocket and drone attacks on bases in Iraq
    description: Katyusha, rocket and drone strikes on bases, airports and the Green Zone
    query: '(katyusha OR rocket OR rockets OR drone) AND (base OR "green zone" OR airport) AND (iraq OR baghdad OR taji)'
  - id: kurdistan-politics
    title: Kurdistan Region politics
    query: 'kurdistan OR erbil OR sulaymaniyah'
${extra}`;
}

/** A real context on its own Redis prefix, a real SMTP sink, and the HTTP server on it. */
export async function startWeb(
  opts: {
    yaml?: string;
    web?: WebOptions;
    listen?: boolean;
    smtp?: Parameters<typeof startSmtpSink>[0];
  } = {},
): Promise<WebHarness> {
  const prefix = uniquePrefix("web");
  const smtp = await startSmtpSink(opts.smtp);
  const dir = await mkdtemp(path.join(tmpdir(), "newswatch-web-"));
  const loaded = parseConfigText(opts.yaml ?? baseYaml(), "test.yaml", {
    REDIS_URL,
    NEWSWATCH_PREFIX: prefix,
    SMTP_URL: smtp.url,
  });
  const ctx = await AppContext.create(
    { ...loaded, file: path.join(dir, "test.yaml") },
    silentLogger,
    dir,
  );
  const app = await createHttpServer(ctx, { workersRunning: () => true, web: opts.web });
  if (opts.listen) await app.listen({ port: 0, host: "127.0.0.1" });
  const subscriptions = new SubscriptionStore(ctx.redis, ctx.keys);
  let workers: RunningWorkers | undefined;
  return {
    ctx,
    app,
    smtp,
    prefix,
    subscriptions,
    apiWatchlistIds: () => {
      const inFile = new Set(ctx.snapshot().config.watchlists.map((w) => w.id));
      return [...ctx.snapshot().watchlists.keys()].filter((id) => !inFile.has(id));
    },
    poll: (feedId) => refreshFeed(feedId, ctx.refreshDeps()),
    startDeliveryWorkers: () => {
      workers ??= startWorkers(ctx, ["deliver"], { retryDelayMs: () => 200 });
    },
    waitForMail: async (count, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (smtp.received.length < count) {
        if (Date.now() > deadline)
          throw new Error(`expected ${count} messages, the sink has ${smtp.received.length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: async () => {
      await workers?.close();
      await app.close();
      await ctx.close();
      await smtp.close();
      await dropPrefix(prefix);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The URL in a message's action link, e.g. the confirmation link, as a local path. */
export function linkIn(text: string, pathname: string): string {
  const match = new RegExp(`https?://[^\\s"<>]+${pathname}\\?token=[\\w.-]+`).exec(text);
  if (!match) throw new Error(`no ${pathname} link in: ${text.slice(0, 500)}`);
  const url = new URL(match[0]);
  return `${url.pathname}${url.search}`;
}

/** Signs in through the form; returns the session cookie and the page's CSRF token. */
export async function signIn(app: FastifyInstance): Promise<{ cookie: string; csrf: string }> {
  const res = await app.inject({
    method: "POST",
    url: "/admin/sign-in",
    payload: { token: ADMIN_TOKEN },
  });
  const setCookie = String(res.headers["set-cookie"] ?? "");
  const cookie = setCookie.split(";")[0] ?? "";
  const page = await app.inject({ method: "GET", url: "/admin/sources", headers: { cookie } });
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(page.body)?.[1] ?? "";
  return { cookie, csrf };
}
