import { expect, test } from "vitest";
import { rssFeed } from "../fixtures/stories/wire.ts";
import {
  duplicates,
  httpUrl,
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

const ALERTS = 8;

const world = useFaultWorld("redis", { privateRedis: true });

test("Redis crashes and comes back (AOF): the daemon and a worker reconnect without crashing, and the queued alerts are delivered once", async () => {
  const { feeds, hook, redis, dir, prefix } = world;
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
  world.processes.push(daemon, worker);
  await Promise.all([running(daemon), running(worker)]);
  const base = await httpUrl(daemon);
  const readiness = async () => {
    const res = await fetch(`${base}/readyz`);
    return { status: res.status, body: (await res.json()) as { checks: { redis: boolean } } };
  };
  expect((await readiness()).status).toBe(200);
  await waitFor("alerts queued and failing", () => new Set(hook.received).size === ALERTS, 20_000);

  await redis.crash();
  await new Promise((r) => setTimeout(r, 3000));
  expect(daemon.exitCode).toBeNull();
  expect(worker.exitCode).toBeNull();
  const errors = [...logLines(daemon), ...logLines(worker)].filter((l) =>
    /Redis connection error|worker error/.test(String(l.msg)),
  );
  expect(errors.length).toBeGreaterThan(0); // the outage was noticed, and survived
  // Not ready while Redis is away (a load balancer stops sending it work), yet alive.
  const down = await readiness();
  expect(down.status).toBe(503);
  expect(down.body.checks.redis).toBe(false);
  expect((await fetch(`${base}/healthz`)).status).toBe(200);

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
  expect((await readiness()).status).toBe(200);
  expect(daemon.exitCode).toBeNull();
  expect(worker.exitCode).toBeNull();
  expect(await stop(daemon)).toBe(0);
  expect(await stop(worker)).toBe(0);
}, 60_000);
