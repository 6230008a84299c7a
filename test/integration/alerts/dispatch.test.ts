import { afterEach, beforeEach, expect, test } from "vitest";
import type { PlannedAlert } from "../../../src/alerts/plan.ts";
import { STORM_NOTE } from "../../../src/alerts/policy.ts";
import type { Subscriber } from "../../../src/model/subscriber.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { tajiAlert } from "../../fixtures/alerts.ts";
import { dispatcherAt, testContext } from "../../helpers/context.ts";
import { dropPrefix, uniquePrefix } from "../../helpers/redis.ts";

let prefix: string;
let ctx: AppContext;

beforeEach(async () => {
  prefix = uniquePrefix("dispatch");
  ctx = await testContext("feeds: []\n", prefix);
});
afterEach(async () => {
  await ctx.close();
  await dropPrefix(prefix);
});

const subscriber = (s: Partial<Subscriber>): Subscriber => ({
  id: "desk",
  email: "desk@example.org",
  mode: "immediate",
  schedule: "0 7 * * *",
  timezone: "Asia/Baghdad",
  watchlists: [{ id: "iraq-base-attacks", mode: "immediate" }],
  source: "config",
  ...s,
});

const planned = (sub: Subscriber, n: number): PlannedAlert[] =>
  Array.from({ length: n }, (_, i) => ({
    subscriber: sub,
    mode: "immediate",
    alert: tajiAlert({ id: `alert-${i}`, subscriberId: sub.id }),
  }));

test("beyond maxPerHour alerts go to the digest, and the last immediate one says so", async () => {
  const sub = subscriber({ maxPerHour: 2 });
  const result = await dispatcherAt(ctx, "2026-11-26T10:15:00Z").dispatch(planned(sub, 4));
  expect(result).toEqual({ deliveryIds: ["alert-0.email", "alert-1.email"], digested: 2 });
  const last = await ctx.queues.email.getJob("alert-1.email");
  expect(last?.data.message.note).toBe(STORM_NOTE);
  expect((await ctx.queues.email.getJob("alert-0.email"))?.data.message.note).toBeUndefined();
  expect(await ctx.stores.pending.count("desk", "digest")).toBe(2);
});

test("in quiet hours an immediate alert is held and one flush is scheduled for the end of the window", async () => {
  const sub = subscriber({ quietHours: "22:00-06:00" });
  // 20:30 UTC is 23:30 in Baghdad: quiet until 06:00 local, 03:00 UTC.
  const result = await dispatcherAt(ctx, "2026-11-26T20:30:00Z").dispatch(planned(sub, 3));
  expect(result.deliveryIds).toEqual([]);
  expect(await ctx.stores.pending.count("desk", "held")).toBe(3);
  const flushes = await ctx.queues.digest.getJobs(["delayed"]);
  expect(flushes).toHaveLength(1);
  expect(flushes[0]?.data).toEqual({
    subscriberId: "desk",
    periodKey: `held-${Date.parse("2026-11-27T03:00:00Z")}`,
  });
  expect(flushes[0]?.opts.delay).toBe(6.5 * 3_600_000);
});

test("the same story from a second outlet uses no storm-cap budget, and the cap's note reaches a real alert", async () => {
  // updates: "none" keeps this about the cap (the default files the repeat for the digest).
  const sub = subscriber({ maxPerHour: 2, updates: "none" });
  const [story1, story2, story3] = planned(sub, 3);
  // story1 again: another outlet's report of it has the same alert id.
  const batch = [story1, story1, story2, story3] as PlannedAlert[];
  const result = await dispatcherAt(ctx, "2026-11-26T10:15:00Z").dispatch(batch);
  expect(result).toEqual({ deliveryIds: ["alert-0.email", "alert-1.email"], digested: 1 });
  expect((await ctx.queues.email.getJob("alert-1.email"))?.data.message.note).toBe(STORM_NOTE);
});

test("alerts held in quiet hours do not use up the next hour's immediate alerts", async () => {
  const sub = subscriber({ maxPerHour: 1, quietHours: "22:00-23:30" });
  // 20:10 UTC is 23:10 in Baghdad, inside the window; 20:40 UTC (23:40) is after it, in the
  // same clock hour, which is what the cap counts.
  await dispatcherAt(ctx, "2026-11-26T20:10:00Z").dispatch(planned(sub, 3));
  expect(await ctx.stores.pending.count("desk", "held")).toBe(3);
  const after = [
    { ...planned(sub, 1)[0], alert: tajiAlert({ id: "later", subscriberId: "desk" }) },
  ];
  const result = await dispatcherAt(ctx, "2026-11-26T20:40:00Z").dispatch(after as PlannedAlert[]);
  expect(result.deliveryIds).toEqual(["later.email"]);
});

test("a story already filed for one digest is not filed again for the next, nor sent after its quiet-hours batch", async () => {
  // updates: "none": later reports of a story alerted already are dropped (the default
  // "digest" files them as updates; see the story-update tests).
  const digestSub = subscriber({
    updates: "none",
    watchlists: [{ id: "iraq-base-attacks", mode: "digest" }],
  });
  const [story] = planned(digestSub, 1) as PlannedAlert[];
  const digestStory = { ...story, mode: "digest" } as PlannedAlert;
  await dispatcherAt(ctx, "2026-11-26T10:00:00Z").dispatch([digestStory]);
  expect(await ctx.stores.pending.count("desk", "digest")).toBe(1);
  await ctx.stores.pending.take("desk", "digest", "d-first");
  // The next day another outlet reports it.
  const again = await dispatcherAt(ctx, "2026-11-27T10:00:00Z").dispatch([digestStory]);
  expect(again.digested).toBe(0);
  expect(await ctx.stores.pending.count("desk", "digest")).toBe(0);

  const quiet = subscriber({ id: "night", quietHours: "22:00-06:00", updates: "none" });
  const held: PlannedAlert = {
    subscriber: quiet,
    mode: "immediate",
    alert: tajiAlert({ id: "night-story", subscriberId: "night" }),
  };
  await dispatcherAt(ctx, "2026-11-26T20:30:00Z").dispatch([held]);
  expect(await ctx.stores.pending.count("night", "held")).toBe(1);
  const morning = await dispatcherAt(ctx, "2026-11-27T05:00:00Z").dispatch([held]);
  expect(morning.deliveryIds).toEqual([]);
});
