import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { BACKLOG, NEAR_MISSES, rssFeed, TAJI } from "../fixtures/stories/wire.ts";
import { runCli } from "../helpers/cli.ts";
import { type FeedServer, startFeedServer } from "../helpers/feed-server.ts";
import { dropPrefix, uniquePrefix } from "../helpers/redis.ts";
import { type Receiver, startReceiver } from "../integration/channels/http-receiver.ts";
import { type SmtpSink, startSmtpSink } from "../integration/channels/smtp-sink.ts";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const WATCHLIST_TITLE = "Rocket and drone attacks on bases in Iraq";

let feeds: FeedServer;
let smtp: SmtpSink;
let hook: Receiver;
let dir: string;
let prefix: string;

function configYaml(feedLines: string[]): string {
  return `
http: { publicUrl: "http://localhost:8787" }
email: { from: "Newswatch <alerts@newswatch.local>" }
security: { allowPrivateNetworks: true }
feeds:
${feedLines.map((l) => `  - ${l}`).join("\n")}
watchlists:
  - id: iraq-base-attacks
    title: ${WATCHLIST_TITLE}
    query: '(katyusha OR rocket OR rockets OR drone) AND (base OR "green zone" OR airport) AND (iraq OR baghdad OR taji)'
subscribers:
  - { id: ops-desk, email: ops@example.org, watchlists: [iraq-base-attacks] }
  - id: siem
    webhook: { url: "${hook.origin}/hook", secret: "${SECRET}" }
    watchlists: [iraq-base-attacks]
`;
}

async function runOnce(configFile: string) {
  return runCli(["run-once", "--config", configFile, "--retry-for", "5s"], {
    env: { NEWSWATCH_PREFIX: prefix, SMTP_URL: smtp.url },
    cwd: dir,
  });
}

beforeEach(async () => {
  [feeds, smtp, hook] = await Promise.all([startFeedServer(), startSmtpSink(), startReceiver()]);
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-e2e-"));
  prefix = uniquePrefix("e2e");
});

afterEach(async () => {
  await Promise.all([feeds.close(), smtp.close(), hook.close(), dropPrefix(prefix)]);
  await rm(dir, { recursive: true, force: true });
});

describe("newswatch run-once", () => {
  test("the backlog of a new feed does not alert; the Taji report then alerts once by email and signed webhook, near-misses never", async () => {
    const config = path.join(dir, "newswatch.yaml");
    await writeFile(config, configYaml([`{ id: wire, url: "${feeds.origin}/wire.xml" }`]));
    feeds.serve("/wire.xml", rssFeed("Test Wire", feeds.origin, BACKLOG));

    const first = await runOnce(config);
    expect(first.stderr).not.toMatch(/error/i);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("items:   2 new, 0 matched");
    expect(smtp.received).toHaveLength(0);
    expect(hook.received).toHaveLength(0);

    feeds.serve(
      "/wire.xml",
      rssFeed("Test Wire", feeds.origin, [...BACKLOG, TAJI, ...NEAR_MISSES]),
    );
    const second = await runOnce(config);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("items:   4 new, 1 matched");
    expect(second.stdout).toContain("alerts:  2 delivered, 0 failed");

    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0];
    expect(mail?.rcptTo).toEqual(["ops@example.org"]);
    expect(mail?.parsed.subject).toBe(`[${WATCHLIST_TITLE}] ${TAJI.title}`);
    expect(mail?.parsed.text).toContain("Taji");
    expect(mail?.parsed.html).toContain("<b");
    expect(mail?.raw.toString()).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    // Long headers are folded (RFC 5322 §2.2.3): unfold before reading them.
    expect(mail?.raw.toString().replace(/\r?\n(?=[ \t])/g, "")).toMatch(
      /^List-Unsubscribe: <http:\/\/localhost:8787\/unsubscribe\?token=ops-desk\.[\w-]+>\r?$/m,
    );

    expect(hook.received).toHaveLength(1);
    const request = hook.received[0];
    if (!request) throw new Error("no webhook request");
    const payload = new Webhook(SECRET).verify(
      request.body,
      request.headers as Record<string, string>,
    ) as {
      type: string;
      item: { title: string; feed: { id: string } };
      matched: { term: string }[];
    };
    expect(payload.type).toBe("alert");
    expect(payload.item.title).toBe(TAJI.title);
    expect(payload.item.feed.id).toBe("wire");
    expect(payload.matched.map((m) => m.term.toLowerCase())).toEqual(
      expect.arrayContaining(["katyusha", "taji"]),
    );

    const third = await runOnce(config);
    expect(third.code).toBe(0);
    expect(third.stdout).toContain("items:   0 new");
    expect(smtp.received).toHaveLength(1);
    expect(hook.received).toHaveLength(1);
    expect(feeds.requests.at(-1)?.ifNoneMatch).toBeDefined();
  });

  test("broken feeds fail alone with their reasons, the healthy feed still alerts, and the exit code is 1", async () => {
    const config = path.join(dir, "newswatch.yaml");
    await writeFile(
      config,
      configYaml([
        `{ id: wire, url: "${feeds.origin}/wire.xml", backfill: 3650d }`,
        `{ id: missing, url: "${feeds.origin}/missing.xml" }`,
        `{ id: html, url: "${feeds.origin}/page.html" }`,
        `{ id: broken, url: "${feeds.origin}/broken.xml" }`,
        `{ id: down, url: "http://127.0.0.1:9/feed.xml" }`,
      ]),
    );
    feeds.serve("/wire.xml", rssFeed("Test Wire", feeds.origin, [TAJI, ...NEAR_MISSES]));
    feeds.serve(
      "/page.html",
      "<!doctype html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>",
      "text/html",
    );
    feeds.serve(
      "/broken.xml",
      '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>a</item></channel>',
    );

    const run = await runOnce(config);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("feeds:   1 ok, 4 failed");
    expect(run.stdout).toMatch(/feed missing: http: .*404/);
    expect(run.stdout).toMatch(/feed html: not-a-feed/);
    expect(run.stdout).toMatch(/feed broken: parse/);
    expect(run.stdout).toMatch(/feed down: connect/);
    expect(run.stdout).toContain("alerts:  2 delivered");
    expect(smtp.received.map((m) => m.parsed.subject)).toEqual([
      `[${WATCHLIST_TITLE}] ${TAJI.title}`,
    ]);
  });

  test("an invalid config is refused before anything runs, one line per problem, exit 2", async () => {
    const config = path.join(dir, "bad.yaml");
    await writeFile(
      config,
      `feeds:\n  - { id: wire, url: "not a url" }\nwatchlists:\n  - { id: w, title: W, query: "(rocket OR drone" }\nsubscribers:\n  - { id: s, email: ops@example.org, watchlists: [nope] }\n`,
    );
    const run = await runOnce(config);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("bad.yaml: feeds[0].url: must be an http or https URL (line 2)");
    expect(feeds.requests).toHaveLength(0);
  });
});
