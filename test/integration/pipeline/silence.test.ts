import { afterEach, beforeEach, expect, test } from "vitest";
import { feedHealth } from "../../../src/pipeline/feed-health.ts";
import { refreshFeed } from "../../../src/pipeline/refresh-feed.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { testContext } from "../../helpers/context.ts";
import { type FeedServer, startFeedServer } from "../../helpers/feed-server.ts";
import { dropPrefix, uniquePrefix } from "../../helpers/redis.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse("2026-11-02T08:00:00Z");

let server: FeedServer;
let prefix: string;
let ctx: AppContext;

beforeEach(async () => {
  server = await startFeedServer();
  prefix = uniquePrefix("silence");
  ctx = await testContext(
    `
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s }
feeds:
  - { id: wire, url: "${server.origin}/wire.xml" }
`,
    prefix,
  );
});
afterEach(async () => {
  await ctx.close();
  await server.close();
  await dropPrefix(prefix);
});

/** An RSS feed of items w0..w(n-1); `date(i)` gives each item's pubDate, or none. */
function serve(n: number, date: (i: number) => number | null) {
  const items = Array.from({ length: n }, (_, i) => {
    const at = date(i);
    const pub = at === null ? "" : `<pubDate>${new Date(at).toUTCString()}</pubDate>`;
    return `<item><title>Story ${i}</title><link>http://wire.example/${i}</link><guid>w${i}</guid>${pub}</item>`;
  });
  server.serve(
    "/wire.xml",
    `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>${items.join("")}</channel></rss>`,
  );
}

/** Polls as if the clock read `at`; returns the feed's health as `newswatch feeds` shows it. */
async function pollAt(at: number) {
  await refreshFeed("wire", { ...ctx.refreshDeps(), now: () => at });
  const state = await ctx.stores.feedStates.get("wire");
  return { state, health: feedHealth(state, 1, at) };
}

test("a feed without dates gets a rhythm from when its items appeared, and goes silent after a quiet day", async () => {
  serve(3, () => null);
  await pollAt(T0);
  for (let n = 1; n <= 3; n++) {
    serve(3 + n, () => null);
    await pollAt(T0 + n * HOUR);
  }
  const quiet = await pollAt(T0 + 3 * HOUR + 2 * DAY);
  expect(quiet.state.medianIntervalMs).toBe(HOUR);
  expect(quiet.state.lastNewItemAt).toBe(T0 + 3 * HOUR);
  expect(quiet.health).toBe("silent");
});

test("one item dated next year neither hides a silent feed nor skews its rhythm", async () => {
  const nextYear = T0 + 365 * DAY;
  // Hourly items up to T0, and item 0 dated a year ahead (a timezone bug or a typo).
  serve(3, (i) => (i === 0 ? nextYear : T0 - (i - 1) * HOUR));
  await pollAt(T0);
  await pollAt(T0 + HOUR);
  await pollAt(T0 + 2 * HOUR);
  const quiet = await pollAt(T0 + 3 * DAY);
  expect(quiet.state.medianIntervalMs).toBe(HOUR);
  expect(quiet.state.lastNewItemAt).toBe(T0);
  expect(quiet.health).toBe("silent");
});

test("a feed that stamps every item with its build time still goes silent when nothing new appears", async () => {
  let built = T0;
  const poll = async (at: number, items: number) => {
    built = at;
    serve(items, () => built);
    return pollAt(at);
  };
  await poll(T0, 3);
  for (let n = 1; n <= 3; n++) await poll(T0 + n * 2 * HOUR, 3 + n);
  const quiet = await poll(T0 + 6 * HOUR + 2 * DAY, 6);
  expect(quiet.state.medianIntervalMs).toBe(2 * HOUR);
  expect(quiet.health).toBe("silent");
});
