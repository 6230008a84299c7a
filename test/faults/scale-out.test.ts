import { expect, test } from "vitest";
import { rssFeed, type Story } from "../fixtures/stories/wire.ts";
import {
  duplicates,
  matchingStories,
  running,
  seedDue,
  spawnRole,
  stampRequests,
  useFaultWorld,
  waitFor,
  writeConfig,
} from "./harness.ts";

const FEEDS = ["alpha", "bravo", "charlie", "delta"];
const EVERY_MS = 2000;

const world = useFaultWorld("scale");

test("two schedulers and three workers over several poll cycles: each feed polled once per interval, each alert delivered once", async () => {
  const { feeds, hook, dir, prefix, processes } = world;
  const published = new Map<string, Story[]>(FEEDS.map((f) => [f, []]));
  const publish = (cycle: number) => {
    for (const feed of FEEDS) {
      const stories = published.get(feed) ?? [];
      stories.push(...matchingStories(3, `${feed}-c${cycle}`));
      feeds.serve(`/${feed}.xml`, rssFeed(feed, feeds.origin, stories));
    }
  };
  const times = stampRequests(feeds);
  publish(0);
  const config = await writeConfig(dir, {
    feeds: FEEDS.map((id) => ({ id, url: `${feeds.origin}/${id}.xml`, every: "2s" })),
    webhookUrl: hook.url,
  });
  await seedDue(prefix, FEEDS);
  const opts = { config, prefix, cwd: dir };
  processes.push(
    spawnRole(["scheduler"], opts),
    spawnRole(["scheduler"], opts),
    spawnRole(["worker"], opts),
    spawnRole(["worker"], opts),
    spawnRole(["worker"], opts),
  );
  await Promise.all(processes.map((p) => running(p)));

  // Three poll cycles (the scheduler ticks every 10 s), new stories before each of the later two.
  for (let cycle = 1; cycle <= 2; cycle++) {
    const polled = feeds.requests.length;
    await waitFor(
      `poll cycle ${cycle}`,
      () => FEEDS.every((f) => feeds.requests.slice(polled).some((r) => r.path === `/${f}.xml`)),
      15_000,
    );
    publish(cycle);
  }
  const expected = FEEDS.length * 3 * 3;
  await waitFor(
    `${expected} webhooks`,
    () => new Set(hook.accepted).size === expected,
    25_000,
    () =>
      `${new Set(hook.accepted).size} delivered\n${processes.map((p) => p.output()).join("\n")}`,
  );
  await new Promise((r) => setTimeout(r, 1500));

  expect(duplicates(hook.received)).toEqual([]);
  expect(hook.received).toHaveLength(expected);
  for (const feed of FEEDS) {
    const polls = times.get(`/${feed}.xml`) ?? [];
    expect(polls.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < polls.length; i++)
      expect((polls[i] ?? 0) - (polls[i - 1] ?? 0)).toBeGreaterThanOrEqual(EVERY_MS * 0.75);
  }
  for (const p of processes) expect(p.exitCode).toBeNull();
}, 70_000);
