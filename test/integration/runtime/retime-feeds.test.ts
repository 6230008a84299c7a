import { afterEach, beforeEach, expect, test } from "vitest";
import { parseConfigText } from "../../../src/config/load.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { pullForwardRetimedFeeds } from "../../../src/runtime/retime-feeds.ts";
import { testContext } from "../../helpers/context.ts";
import { dropPrefix, uniquePrefix } from "../../helpers/redis.ts";

const yaml = (daily: string, hourly: string) => `
feeds:
  - { id: daily, url: "https://a.example.org/rss", every: ${daily} }
  - { id: hourly, url: "https://b.example.org/rss", every: ${hourly} }
  - { id: failing, url: "https://c.example.org/rss", every: ${daily} }
`;
const HOUR = 3_600_000;
let prefix: string;
let ctx: AppContext;

beforeEach(async () => {
  prefix = uniquePrefix("retime");
  ctx = await testContext(yaml("24h", "1h"), prefix);
});
afterEach(async () => {
  await ctx.close();
  await dropPrefix(prefix);
});

test("shortening a feed's interval brings its next poll forward; a feed in back-off keeps its schedule", async () => {
  const now = Date.now();
  const feeds = ctx.stores.feedStates;
  await feeds.update("daily", { lastPollAt: now - HOUR, nextPollAt: now + 23 * HOUR });
  await feeds.update("hourly", { lastPollAt: now - 0.5 * HOUR, nextPollAt: now + 0.5 * HOUR });
  await feeds.update("failing", {
    lastPollAt: now - HOUR,
    nextPollAt: now + 20 * HOUR,
    consecutiveErrors: 3,
  });
  const before = ctx.snapshot().config;
  // daily and failing go from 24h to 10m; hourly goes from 1h to 2h.
  const after = parseConfigText(yaml("10m", "2h"), "test.yaml").config;

  expect(await pullForwardRetimedFeeds(before, after, feeds)).toEqual(["daily"]);
  expect((await feeds.get("daily")).nextPollAt).toBe(now - HOUR + 10 * 60_000);
  expect((await feeds.get("hourly")).nextPollAt).toBe(now + 0.5 * HOUR);
  expect((await feeds.get("failing")).nextPollAt).toBe(now + 20 * HOUR);
});

test("a feed whose URL was corrected is polled at once, even out of a slow back-off", async () => {
  const now = Date.now();
  const feeds = ctx.stores.feedStates;
  await feeds.update("failing", {
    lastPollAt: now - HOUR,
    nextPollAt: now + 20 * HOUR,
    consecutiveErrors: 3,
  });
  const before = ctx.snapshot().config;
  const after = parseConfigText(
    yaml("24h", "1h").replace("https://c.example.org/rss", "https://c.example.org/feed.xml"),
    "test.yaml",
  ).config;
  expect(await pullForwardRetimedFeeds(before, after, feeds, now)).toEqual(["failing"]);
  expect((await feeds.get("failing")).nextPollAt).toBe(now);
});
