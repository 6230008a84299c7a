import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { rssFeed } from "../fixtures/stories/wire.ts";
import { type FeedServer, startFeedServer } from "../helpers/feed-server.ts";
import { uniquePrefix } from "../helpers/redis.ts";
import {
  duplicates,
  logLines,
  matchingStories,
  type Running,
  running,
  seedDue,
  spawnRole,
  stop,
  waitFor,
  writeConfig,
} from "./harness.ts";
import { type HookSink, type PrivateRedis, startHookSink, startPrivateRedis } from "./sinks.ts";

const ALERTS = 8;

let feeds: FeedServer;
let hook: HookSink;
let redis: PrivateRedis;
let dir: string;
const processes: Running[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-fault-"));
  await mkdir(path.join(dir, "redis"));
  [feeds, hook, redis] = await Promise.all([
    startFeedServer(),
    startHookSink(),
    startPrivateRedis(path.join(dir, "redis")),
  ]);
});

afterEach(async () => {
  await Promise.all(processes.splice(0).map((p) => stop(p, "SIGKILL")));
  await redis.crash();
  await Promise.all([feeds.close(), hook.close()]);
  await rm(dir, { recursive: true, force: true });
});

test("Redis crashes and comes back (AOF): the daemon and a worker reconnect without crashing, and the queued alerts are delivered once", async () => {
  const prefix = uniquePrefix("fault-redis");
  feeds.serve("/wire.xml", rssFeed("Wire", feeds.origin, matchingStories(ALERTS, "redis")));
  hook.failWith = 503; // keeps the alerts queued, retrying, while Redis goes away
  const config = await writeConfig(dir, {
    feeds: [{ id: "wire", url: `${feeds.origin}/wire.xml`, every: "1h" }],
    webhookUrl: hook.url,
  });
  await seedDue(prefix, ["wire"], redis.url);
  const env = { REDIS_URL: redis.url };
  const daemon = spawnRole(["start"], { config, prefix, cwd: dir, env });
  const worker = spawnRole(["worker"], { config, prefix, cwd: dir, env });
  processes.push(daemon, worker);
  await Promise.all([running(daemon), running(worker)]);
  await waitFor("alerts queued and failing", () => new Set(hook.received).size === ALERTS, 20_000);

  await redis.crash();
  await new Promise((r) => setTimeout(r, 3000));
  expect(daemon.exitCode).toBeNull();
  expect(worker.exitCode).toBeNull();
  const errors = [...logLines(daemon), ...logLines(worker)].filter((l) =>
    /Redis connection error|worker error/.test(String(l.msg)),
  );
  expect(errors.length).toBeGreaterThan(0); // the outage was noticed, and survived

  await redis.start();
  hook.failWith = 0;
  await waitFor(
    "every alert after Redis came back",
    () => new Set(hook.accepted).size === ALERTS,
    30_000,
    () => `${hook.accepted.length} delivered\n${daemon.output()}\n${worker.output()}`,
  );
  await new Promise((r) => setTimeout(r, 1000));
  expect(duplicates(hook.accepted)).toEqual([]);
  expect(daemon.exitCode).toBeNull();
  expect(worker.exitCode).toBeNull();
  expect(await stop(daemon)).toBe(0);
  expect(await stop(worker)).toBe(0);
}, 60_000);
