import { Redis } from "ioredis";
import { afterEach, beforeEach, expect, test } from "vitest";
import { Keys } from "../../../src/store/keys.ts";
import { RECENT_WINDOW_MS, RecentItemStore } from "../../../src/store/recent-items.ts";
import { previewQuery } from "../../../src/subscriptions/preview.ts";
import { dropPrefix, REDIS_URL, uniquePrefix } from "../../helpers/redis.ts";
import { recentItem } from "../http/recent-fixtures.ts";

const DAY = 86_400_000;
let prefix: string;
let redis: Redis;
let store: RecentItemStore;

beforeEach(() => {
  prefix = uniquePrefix("recent");
  redis = new Redis(REDIS_URL);
  store = new RecentItemStore(redis, new Keys(prefix));
});
afterEach(async () => {
  redis.disconnect();
  await dropPrefix(prefix);
});

test("a new feed's backlog, all discovered at once, is previewed on the days it was published, and months-old items not at all", async () => {
  const now = Date.parse("2026-11-26T12:00:00Z");
  // What a first poll stores: every item discovered now, whatever its publication date.
  const discoveredNow = (n: number, daysAgo: number) => ({
    ...recentItem(n, `Rocket report ${n}`, "A rocket hit the base.", now, daysAgo),
    discoveredAt: now,
  });
  await store.add([discoveredNow(1, 0), discoveredNow(2, 2), discoveredNow(3, 40)], now);

  const items = await store.list(now - RECENT_WINDOW_MS);
  expect(items.map((r) => r.item.title)).toEqual(["Rocket report 1", "Rocket report 2"]);
  const preview = previewQuery("rocket", { lists: {}, now }, items);
  expect(preview.total).toBe(2);
  const byDay = Object.fromEntries(preview.perDay.map((d) => [d.day, d.count]));
  expect(byDay["2026-11-26"]).toBe(1);
  expect(byDay["2026-11-24"]).toBe(1);
});

test("an item dated in the future counts from when it was discovered", async () => {
  const now = Date.parse("2026-11-26T12:00:00Z");
  const future = {
    ...recentItem(9, "Rocket report 9", "rocket", now, -3),
    discoveredAt: now - DAY,
  };
  await store.add([future], now);
  const preview = previewQuery(
    "rocket",
    { lists: {}, now },
    await store.list(now - RECENT_WINDOW_MS),
  );
  expect(preview.perDay.find((d) => d.day === "2026-11-25")?.count).toBe(1);
});
