import { afterEach, beforeEach, expect, test } from "vitest";
import type { PlannedAlert } from "../../../src/alerts/plan.ts";
import type { Subscriber } from "../../../src/model/subscriber.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { tajiAlert } from "../../fixtures/alerts.ts";
import { dispatcherAt, testContext } from "../../helpers/context.ts";
import { dropPrefix, uniquePrefix } from "../../helpers/redis.ts";

let prefix: string;
let ctx: AppContext;

beforeEach(async () => {
  prefix = uniquePrefix("quiet-dst");
  ctx = await testContext("feeds: []\n", prefix);
});
afterEach(async () => {
  await ctx.close();
  await dropPrefix(prefix);
});

const night: Subscriber = {
  id: "night",
  email: "night@example.org",
  mode: "immediate",
  schedule: "0 7 * * *",
  timezone: "Europe/London",
  quietHours: "22:00-06:00",
  watchlists: [{ id: "iraq-base-attacks", mode: "immediate" }],
  source: "config",
};

const holdAt = (iso: string, alertId: string) =>
  dispatcherAt(ctx, iso).dispatch([
    {
      subscriber: night,
      mode: "immediate",
      alert: tajiAlert({ id: alertId, subscriberId: night.id }),
    } as PlannedAlert,
  ]);

test("on the night clocks go forward, alerts held before and after the change go out together at 06:00 BST", async () => {
  await holdAt("2026-03-28T23:00:00Z", "before-change"); // 23:00 GMT
  await holdAt("2026-03-29T03:00:00Z", "after-change"); // 04:00 BST
  expect(await ctx.stores.pending.count("night", "held")).toBe(2);
  const flushes = await ctx.queues.digest.getJobs(["delayed"]);
  expect(flushes).toHaveLength(1);
  // 06:00 BST is 05:00 UTC, not 06:00 UTC (07:00 BST): six hours after the first alert.
  expect(flushes[0]?.data.periodKey).toBe(`held-${Date.parse("2026-03-29T05:00:00Z")}`);
  expect(flushes[0]?.opts.delay).toBe(6 * 3_600_000);
});
