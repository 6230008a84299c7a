import { expect, test } from "vitest";
import { jobId } from "../../../src/queue/jobs.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { startScheduler } from "../../../src/scheduler/scheduler.ts";
import { stableOffsetMs } from "../../../src/scheduler/stable-offset.ts";
import { useTestContexts } from "../../helpers/context.ts";

const FEEDS = Array.from({ length: 40 }, (_, i) => `f${i}`);
const YAML = `
defaults: { every: 10m, firstPollSpread: 30s }
feeds:
${FEEDS.map((id) => `  - { id: ${id}, url: "https://${id}.example.org/rss" }`).join("\n")}
  - { id: recent, url: "https://recent.example.org/rss" }
`;
const NOW = Date.parse("2026-11-26T10:00:00Z");

const contexts = useTestContexts("outage");
const open = () => contexts.open(YAML);

/** Every feed was due two hours ago (the scheduler was down), "recent" only a minute ago. */
async function afterOutage(ctx: AppContext): Promise<void> {
  for (const id of FEEDS)
    await ctx.stores.feedStates.update(id, { nextPollAt: NOW - 2 * 3_600_000 });
  await ctx.stores.feedStates.update("recent", { nextPollAt: NOW - 60_000 });
}

const queued = async (ctx: AppContext) =>
  (await ctx.queues.poll.getJobs(["waiting", "delayed"])).map(
    (j) => j.data as { feedId: string; due: number },
  );

test("after a long outage the overdue feeds are spread over the first-poll window, not all polled in the first tick", async () => {
  const ctx = await open();
  await afterOutage(ctx);
  let now = NOW;
  const scheduler = startScheduler(ctx, { now: () => now });
  await scheduler.tick();
  const first = await queued(ctx);
  // A feed only a minute late keeps its time; of the 40 two hours late, only those whose
  // stable offset has come (none at 0 s here) go at once.
  expect(first).toEqual([{ feedId: "recent", due: NOW - 60_000 }]);

  now = NOW + 15_000;
  await scheduler.tick();
  const half = (await queued(ctx)).filter((j) => j.feedId !== "recent");
  expect(half.length).toBeGreaterThan(5);
  expect(half.length).toBeLessThan(35);

  now = NOW + 31_000;
  await scheduler.tick();
  await scheduler.stop();
  const all = (await queued(ctx)).filter((j) => j.feedId !== "recent");
  expect(all.map((j) => j.feedId).sort()).toEqual([...FEEDS].sort());
  for (const j of all) expect(j.due).toBe(NOW + stableOffsetMs(j.feedId, 30_000));
});

test("two schedulers started at different times after an outage enqueue each overdue feed once", async () => {
  const one = await open();
  const two = await open();
  await afterOutage(one);
  let now = NOW;
  const clock = () => now;
  const s1 = startScheduler(one, { now: clock });
  now += 4000;
  const s2 = startScheduler(two, { now: clock });
  now += 60_000;
  await Promise.all([s1.tick(), s2.tick()]);
  await Promise.all([s1.tick(), s2.tick()]);
  await Promise.all([s1.stop(), s2.stop()]);
  const ids = (await queued(one)).map((j) => j.feedId).sort();
  expect(ids).toEqual([...FEEDS, "recent"].sort());
});

test("a poll still queued from before the restart keeps its place: the feed is not queued twice", async () => {
  const ctx = await open();
  await afterOutage(ctx);
  const overdue = NOW - 2 * 3_600_000;
  await ctx.queues.poll.add(
    "poll",
    { feedId: "f0", due: overdue },
    { jobId: jobId("poll", "f0", overdue) },
  );
  let now = NOW;
  const scheduler = startScheduler(ctx, { now: () => now });
  now += 31_000;
  await scheduler.tick();
  await scheduler.stop();
  const f0 = (await queued(ctx)).filter((j) => j.feedId === "f0");
  expect(f0).toEqual([{ feedId: "f0", due: overdue }]);
});
