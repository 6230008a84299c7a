import { expect, test } from "vitest";
import { startScheduler } from "../../../src/scheduler/scheduler.ts";
import { useTestContexts } from "../../helpers/context.ts";

const YAML = `
feeds:
  - { id: a, url: "https://a.example.org/rss", every: 10m }
  - { id: b, url: "https://b.example.org/rss", every: 10m }
  - { id: off, url: "https://c.example.org/rss", enabled: false }
watchlists:
  - { id: w, title: W, query: rocket }
subscribers:
  - { id: desk, email: desk@example.org, mode: digest, schedule: "0 7 * * *", timezone: Asia/Baghdad, watchlists: [w] }
  - { id: live, email: live@example.org, watchlists: [w] }
`;

const contexts = useTestContexts("sched");

test("two schedulers on one Redis enqueue each due poll and each digest once", async () => {
  const one = await contexts.open(YAML);
  const two = await contexts.open(YAML);
  // 04:00:30 UTC is 07:00:30 in Baghdad: desk's digest is due; feeds start within the 30 s spread.
  let now = Date.parse("2026-11-26T04:00:30Z");
  const clock = () => now;
  const s1 = startScheduler(one, { now: clock });
  const s2 = startScheduler(two, { now: clock });
  await Promise.all([s1.tick(), s2.tick()]);
  now += 61_000;
  await Promise.all([s1.tick(), s2.tick(), s1.tick()]);
  await Promise.all([s1.stop(), s2.stop()]);

  const polls = await one.queues.poll.getJobs(["waiting", "delayed"]);
  expect(polls.map((j) => j.data.feedId).sort()).toEqual(["a", "b"]);
  const digests = await one.queues.digest.getJobs(["waiting", "delayed"]);
  expect(digests.map((j) => j.data)).toEqual([
    { subscriberId: "desk", periodKey: `at-${Date.parse("2026-11-26T04:00:00Z")}` },
  ]);
});

test("a persisted next-poll time is respected after a restart: no burst of polls", async () => {
  const ctx = await contexts.open(YAML);
  const now = Date.parse("2026-11-26T10:00:00Z");
  await ctx.stores.feedStates.update("a", {
    nextPollAt: now + 5 * 60_000,
    lastSuccessAt: now - 5 * 60_000,
  });
  await ctx.stores.feedStates.update("b", {
    nextPollAt: now - 1000,
    lastSuccessAt: now - 10 * 60_000,
  });
  const scheduler = startScheduler(ctx, { now: () => now });
  await scheduler.tick();
  await scheduler.stop();
  const polls = await ctx.queues.poll.getJobs(["waiting", "delayed"]);
  expect(polls.map((j) => j.data)).toEqual([{ feedId: "b", due: now - 1000 }]);
});

test("a feed the publisher retired (410) is never polled again, however overdue", async () => {
  const ctx = await contexts.open(YAML);
  const now = Date.parse("2026-11-26T10:00:00Z");
  await ctx.stores.feedStates.update("a", {
    nextPollAt: now - 60_000,
    disabled: "gone (HTTP 410)",
  });
  await ctx.stores.feedStates.update("b", { nextPollAt: now - 60_000 });
  const scheduler = startScheduler(ctx, { now: () => now });
  await scheduler.tick();
  await scheduler.stop();
  const polls = await ctx.queues.poll.getJobs(["waiting", "delayed"]);
  expect(polls.map((j) => j.data)).toEqual([{ feedId: "b", due: now - 60_000 }]);
});

test("on the day London moves to summer time, the 07:00 digest is due at 06:00 UTC, not 07:00", async () => {
  const yaml = `watchlists:\n  - { id: w, title: W, query: rocket }\nsubscribers:\n  - { id: london, email: l@example.org, mode: digest, schedule: "0 7 * * *", timezone: Europe/London, watchlists: [w] }\n`;
  const ctx = await contexts.open(yaml);
  let now = Date.parse("2026-03-29T05:59:00Z"); // 06:59 BST: not yet
  const scheduler = startScheduler(ctx, { now: () => now });
  await scheduler.tick();
  expect(await ctx.queues.digest.getJobs(["waiting"])).toHaveLength(0);
  now = Date.parse("2026-03-29T06:00:30Z"); // 07:00:30 BST
  await scheduler.tick();
  await scheduler.stop();
  const jobs = await ctx.queues.digest.getJobs(["waiting"]);
  expect(jobs.map((j) => j.data.periodKey)).toEqual([`at-${Date.parse("2026-03-29T06:00:00Z")}`]);
});

test("an immediate-only subscriber with a storm cap gets its digest on schedule, for the overflow", async () => {
  const capped = `${YAML}  - { id: capped, email: capped@example.org, maxPerHour: 5, schedule: "0 7 * * *", timezone: UTC, watchlists: [w] }\n`;
  const ctx = await contexts.open(capped);
  const now = Date.parse("2026-11-26T07:00:20Z");
  const scheduler = startScheduler(ctx, { now: () => now });
  await scheduler.tick();
  await scheduler.stop();
  const digests = await ctx.queues.digest.getJobs(["waiting", "delayed"]);
  expect(digests.map((j) => j.data.subscriberId).sort()).toEqual(["capped"]);
});

test("two schedulers started at different times enqueue a never-polled feed's first poll once", async () => {
  const one = await contexts.open(YAML);
  const two = await contexts.open(YAML);
  let now = Date.parse("2026-11-26T10:00:00Z");
  const clock = () => now;
  // Each scheduler spreads first polls from its own start: four seconds apart here.
  const s1 = startScheduler(one, { now: clock });
  now += 4000;
  const s2 = startScheduler(two, { now: clock });
  now += 60_000;
  await Promise.all([s1.tick(), s2.tick()]);
  await Promise.all([s1.stop(), s2.stop()]);
  const polls = await one.queues.poll.getJobs(["waiting", "delayed"]);
  expect(polls.map((j) => j.data.feedId).sort()).toEqual(["a", "b"]);
});
