import { expect, test } from "vitest";
import { rssFeed } from "../fixtures/stories/wire.ts";
import { runCli } from "../helpers/cli.ts";
import {
  httpUrl,
  matchingStories,
  running,
  seedDue,
  spawnRole,
  useFaultWorld,
  waitFor,
  writeConfig,
} from "./harness.ts";

// Where a person is waiting, a Redis that stops answering is an error within seconds; only
// the daemon's workers wait for it to come back (test/faults/redis-restart.test.ts).
const world = useFaultWorld("redis-silent", { privateRedis: true });

const notAnswering = (url: string) => new RegExp(`Redis at ${url} is not answering`);

test("run-once whose Redis freezes while it waits for deliveries stops with a clear error", async () => {
  const { feeds, hook, redis, dir, prefix } = world;
  feeds.serve("/wire.xml", rssFeed("Wire", feeds.origin, matchingStories(2, "frozen")));
  hook.failWith = 503; // the deliveries keep retrying, so run-once keeps waiting on Redis
  const config = await writeConfig(dir, {
    feeds: [{ id: "wire", url: `${feeds.origin}/wire.xml` }],
    webhookUrl: hook.url,
  });
  const env = { REDIS_URL: redis.url };
  const runOnce = spawnRole(["run-once", "--retry-for", "5m"], { config, prefix, cwd: dir, env });
  world.processes.push(runOnce);
  await waitFor("a delivery attempt", () => hook.received.length > 0, 20_000, runOnce.output);
  redis.freeze();
  await waitFor("run-once to give up", () => runOnce.exitCode !== null, 30_000, runOnce.output);
  expect(runOnce.exitCode).toBe(1);
  expect(runOnce.output()).toMatch(notAnswering(redis.url));
}, 60_000);

test("a command started against a frozen Redis says so instead of hanging", async () => {
  const { feeds, hook, redis, dir, prefix } = world;
  const config = await writeConfig(dir, {
    feeds: [{ id: "wire", url: `${feeds.origin}/x.xml` }],
    webhookUrl: hook.url,
  });
  redis.freeze();
  const result = await runCli(["feeds", "--config", config], {
    cwd: dir,
    env: { REDIS_URL: redis.url, NEWSWATCH_PREFIX: prefix },
    timeoutMs: 45_000, // a hang is for ever; a loaded machine starts the CLI slowly
  });
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(notAnswering(redis.url));
}, 60_000);

test("the HTTP API answers 503 naming Redis when it stops answering, instead of hanging", async () => {
  const { feeds, hook, redis, dir, prefix } = world;
  const config = await writeConfig(dir, {
    feeds: [{ id: "wire", url: `${feeds.origin}/x.xml` }],
    webhookUrl: hook.url,
  });
  await seedDue(prefix, [], redis.url);
  const token = "t0ken-for-the-admin-api-1234";
  const daemon = spawnRole(["start"], {
    config,
    prefix,
    cwd: dir,
    env: { REDIS_URL: redis.url, NEWSWATCH_ADMIN_TOKEN: token },
  });
  world.processes.push(daemon);
  await running(daemon);
  const base = await httpUrl(daemon);
  const list = () =>
    fetch(`${base}/api/subscriptions`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(15_000),
    });
  expect((await list()).status).toBe(200);
  redis.freeze();
  const res = await list();
  expect(res.status).toBe(503);
  expect(((await res.json()) as { error: string }).error).toMatch(notAnswering(redis.url));
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
}, 60_000);
