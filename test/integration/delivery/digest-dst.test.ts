import { afterEach, beforeEach, expect, test } from "vitest";
import type { AppContext } from "../../../src/runtime/context.ts";
import { nextDigestTime } from "../../../src/scheduler/digest-times.ts";
import { startScheduler } from "../../../src/scheduler/scheduler.ts";
import { testContext } from "../../helpers/context.ts";
import { dropPrefix, uniquePrefix } from "../../helpers/redis.ts";

let prefix: string;
let ctx: AppContext;

// New York's clocks go back at 02:00 EDT on 1 November 2026: 01:00-02:00 is lived twice,
// so 01:30 reads at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
const YAML = `watchlists:\n  - { id: w, title: W, query: rocket }\nsubscribers:\n  - { id: ny, email: ny@example.org, mode: digest, schedule: "30 1 * * *", timezone: America/New_York, watchlists: [w] }\n  - { id: halfhourly, email: hh@example.org, mode: digest, schedule: "*/30 * * * *", timezone: America/New_York, watchlists: [w] }\n`;

beforeEach(async () => {
  prefix = uniquePrefix("digest-dst");
  ctx = await testContext(YAML, prefix);
});
afterEach(async () => {
  await ctx.close();
  await dropPrefix(prefix);
});

const digestsOf = async (subscriberId: string) =>
  (await ctx.queues.digest.getJobs(["waiting", "delayed"]))
    .filter((j) => j.data.subscriberId === subscriberId)
    .map((j) => new Date(Number(String(j.data.periodKey).slice(3))).toISOString())
    .sort();

test("a 01:30 digest is sent once on the day New York's 01:00 hour repeats", async () => {
  let now = Date.parse("2026-11-01T05:30:20Z");
  const scheduler = startScheduler(ctx, { now: () => now });
  await scheduler.tick();
  now = Date.parse("2026-11-01T06:30:20Z"); // 01:30 again, now EST
  await scheduler.tick();
  now = Date.parse("2026-11-01T06:45:00Z");
  await scheduler.tick();
  await scheduler.stop();
  expect(await digestsOf("ny")).toEqual(["2026-11-01T05:30:00.000Z"]);
  // A schedule with a wildcard hour keeps running in real time through the repeated hour.
  expect(await digestsOf("halfhourly")).toEqual([
    "2026-11-01T05:30:00.000Z",
    "2026-11-01T06:30:00.000Z",
  ]);
});

test("newswatch subscribers' next digest after the first 01:30 is the next day's", () => {
  const next = (iso: string) =>
    nextDigestTime("30 1 * * *", "America/New_York", new Date(iso)).toISOString();
  expect(next("2026-11-01T04:00:00Z")).toBe("2026-11-01T05:30:00.000Z");
  expect(next("2026-11-01T06:00:00Z")).toBe("2026-11-02T06:30:00.000Z");
});
