import type { Job } from "bullmq";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { refreshFeed } from "../../../src/pipeline/refresh-feed.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { type RunningWorkers, startWorkers } from "../../../workers/index.ts";
import { BACKLOG, rssFeed, TAJI } from "../../fixtures/stories/wire.ts";
import { testContext } from "../../helpers/context.ts";
import { type FeedServer, startFeedServer } from "../../helpers/feed-server.ts";
import { type Homeserver, startHomeserver } from "../../helpers/homeserver.ts";
import { dropPrefix, uniquePrefix } from "../../helpers/redis.ts";
import { waitFor } from "../../helpers/wait.ts";

const TOKEN = "syt_bot_token";

let prefix: string;
let feeds: FeedServer;
let homeserver: Homeserver;
let ctx: AppContext;
let running: RunningWorkers | undefined;
const failures: { job: Job; err: Error; final: boolean }[] = [];
const retryAfters: (number | undefined)[] = [];

const room = (id: string, token = TOKEN) =>
  `{ homeserver: "${homeserver.origin}", room: "!${id}:example.org", accessToken: "${token}" }`;

beforeEach(async () => {
  prefix = uniquePrefix("matrix");
  [feeds, homeserver] = await Promise.all([startFeedServer(), startHomeserver()]);
  failures.length = 0;
  retryAfters.length = 0;
});
afterEach(async () => {
  await running?.close();
  running = undefined;
  await ctx.close();
  await Promise.all([feeds.close(), homeserver.close(), dropPrefix(prefix)]);
});

/** Polls the wire twice (the first poll records the backlog) and starts the delivery workers. */
async function deliverTajiTo(subscribers: string): Promise<void> {
  ctx = await testContext(
    `
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s }
feeds: [{ id: wire, url: "${feeds.origin}/wire.xml" }]
watchlists: [{ id: bases, title: Bases, query: "rocket AND (base OR taji)" }]
subscribers:
${subscribers}
`,
    prefix,
  );
  feeds.serve("/wire.xml", rssFeed("Wire", feeds.origin, BACKLOG));
  await refreshFeed("wire", ctx.refreshDeps());
  feeds.serve("/wire.xml", rssFeed("Wire", feeds.origin, [...BACKLOG, TAJI]));
  await refreshFeed("wire", ctx.refreshDeps());
  running = startWorkers(ctx, ["deliver"], {
    retryDelayMs: (_attempts, retryAfterMs) => {
      retryAfters.push(retryAfterMs);
      return 20;
    },
    onDeliveryFailed: (job, err, final) => failures.push({ job, err, final }),
  });
}

const outcomes = async () =>
  (await ctx.stores.deliveries.listAttempts()).map((a) => `${a.subscriberId}:${a.outcome}`);

describe("Matrix channel", () => {
  test("a matching item reaches the room: a PUT with the bearer token, plain and HTML bodies, and the delivery id as transaction id", async () => {
    await deliverTajiTo(`  - { id: ops, matrix: ${room("ops")}, watchlists: [bases] }`);
    await waitFor("the delivery is sent", async () => (await outcomes()).includes("ops:sent"));

    expect(homeserver.requests).toHaveLength(1);
    const [sent] = homeserver.requests;
    expect(sent?.room).toBe("!ops:example.org");
    expect(sent?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(sent?.content).toMatchObject({
      msgtype: "m.text",
      format: "org.matrix.custom.html",
    });
    expect(sent?.content.body).toContain(TAJI.title);
    expect(sent?.content.formatted_body).toContain("<strong>Bases</strong>");
    expect(sent?.content.formatted_body).toMatch(/<a href="https?:\/\/[^"]+">Two Katyusha/);
    const [attempt] = await ctx.stores.deliveries.listAttempts();
    expect(sent?.txnId).toBe(attempt?.deliveryId);
    expect(attempt?.channel).toBe("matrix");
    expect(homeserver.eventsIn("!ops:example.org")).toHaveLength(1);
  });

  test("a retry after a lost answer repeats the transaction, and the room shows the message once", async () => {
    // The homeserver stores the event, then the answer is lost (a 502 from its proxy).
    await deliverTajiTo(`  - { id: ops, matrix: ${room("ops")}, watchlists: [bases] }`);
    homeserver.script("!ops:example.org", { status: 502, store: true });
    await waitFor("the delivery is sent", async () => (await outcomes()).includes("ops:sent"));

    expect(homeserver.requests.map((r) => r.txnId)).toHaveLength(2);
    expect(new Set(homeserver.requests.map((r) => r.txnId)).size).toBe(1);
    expect(homeserver.eventsIn("!ops:example.org")).toHaveLength(1);
    expect(await outcomes()).toEqual(["ops:sent", "ops:retrying"]); // newest first
  });

  test("429 waits the retry_after_ms the homeserver asked for, then sends", async () => {
    await deliverTajiTo(`  - { id: ops, matrix: ${room("ops")}, watchlists: [bases] }`);
    homeserver.script("!ops:example.org", {
      status: 429,
      body: { errcode: "M_LIMIT_EXCEEDED", error: "Too many requests", retry_after_ms: 2500 },
    });
    await waitFor("the delivery is sent", async () => (await outcomes()).includes("ops:sent"));

    expect(retryAfters).toEqual([2500]);
    expect(homeserver.requests).toHaveLength(2);
    expect(homeserver.eventsIn("!ops:example.org")).toHaveLength(1);
  });

  test("401, 403 and 404 fail for good after one attempt, naming the homeserver's errcode", async () => {
    await deliverTajiTo(
      [
        `  - { id: badtoken, matrix: ${room("a", "wrong")}, watchlists: [bases] }`,
        `  - { id: notinroom, matrix: ${room("b")}, watchlists: [bases] }`,
        `  - { id: noroom, matrix: ${room("c")}, watchlists: [bases] }`,
      ].join("\n"),
    );
    homeserver.script("!a:example.org", { status: 401, body: { errcode: "M_UNKNOWN_TOKEN" } });
    homeserver.script("!b:example.org", { status: 403, body: { errcode: "M_FORBIDDEN" } });
    homeserver.script("!c:example.org", { status: 404, body: { errcode: "M_NOT_FOUND" } });
    await waitFor("three deliveries failed", () => failures.length === 3);

    expect(failures.every((f) => f.final)).toBe(true);
    expect(homeserver.requests).toHaveLength(3);
    expect(retryAfters).toEqual([]);
    expect((await outcomes()).sort()).toEqual([
      "badtoken:failed",
      "noroom:failed",
      "notinroom:failed",
    ]);
    const details = (await ctx.stores.deliveries.listAttempts()).map((a) => a.detail).join("\n");
    expect(details).toContain("HTTP 401 M_UNKNOWN_TOKEN");
    expect(details).toContain("HTTP 403 M_FORBIDDEN");
    expect(details).toContain("HTTP 404 M_NOT_FOUND");
    expect(details).not.toContain("wrong"); // the access token never reaches the audit trail
  });
});
