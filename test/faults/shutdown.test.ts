import { expect, test } from "vitest";
import { rssFeed } from "../fixtures/stories/wire.ts";
import {
  duplicates,
  logLines,
  matchingStories,
  running,
  seedDue,
  spawnRole,
  stop,
  useFaultWorld,
  waitFor,
  writeConfig,
} from "./harness.ts";

const ALERTS = 4;

const world = useFaultWorld("term");

async function setUp(shutdownTimeout: string, delayMs: number) {
  const { feeds, hook, dir, prefix } = world;
  hook.delayMs = delayMs;
  feeds.serve("/wire.xml", rssFeed("Wire", feeds.origin, matchingStories(ALERTS, "term")));
  const config = await writeConfig(dir, {
    feeds: [{ id: "wire", url: `${feeds.origin}/wire.xml`, every: "1h" }],
    webhookUrl: hook.url,
    workers: `deliverConcurrency: ${ALERTS}, shutdownTimeout: ${shutdownTimeout}`,
  });
  await seedDue(prefix, ["wire"]);
  const opts = { config, prefix, cwd: dir };
  const scheduler = spawnRole(["scheduler"], opts);
  const worker = spawnRole(["worker"], opts);
  world.processes.push(scheduler, worker);
  await Promise.all([running(scheduler), running(worker)]);
  await waitFor(
    "every delivery in flight",
    () => hook.inFlight.size === ALERTS,
    20_000,
    () => worker.output(),
  );
  return { opts, worker };
}

test("SIGTERM while deliveries are in flight: the worker lets them finish, then exits 0", async () => {
  const { hook } = world;
  const { worker } = await setUp("10s", 1500);
  const signalled = Date.now();
  expect(await stop(worker)).toBe(0);
  expect(Date.now() - signalled).toBeGreaterThanOrEqual(1000);
  expect(new Set(hook.accepted).size).toBe(ALERTS);
  expect(logLines(worker).some((l) => l.msg === "stopped")).toBe(true);
}, 40_000);

test("a delivery cut off by the shutdown timeout is re-run by the next worker, not lost", async () => {
  const { hook } = world;
  const { opts, worker } = await setUp("500ms", 4000);
  expect(await stop(worker)).toBe(0);
  expect(hook.accepted).toEqual([]);
  expect(logLines(worker).some((l) => /shutdown timeout/.test(String(l.msg)))).toBe(true);

  hook.delayMs = 0;
  const next = spawnRole(["worker"], opts);
  world.processes.push(next);
  await waitFor(
    "the cut-off deliveries",
    () => new Set(hook.accepted).size === ALERTS,
    20_000,
    () => next.output(),
  );
  await new Promise((r) => setTimeout(r, 500));
  expect(duplicates(hook.accepted)).toEqual([]);
}, 45_000);
