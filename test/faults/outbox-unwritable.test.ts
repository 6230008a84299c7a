import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { expect, test } from "vitest";
import { rssFeed } from "../fixtures/stories/wire.ts";
import { REDIS_URL } from "../helpers/redis.ts";
import {
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

const ALERTS = 5;

// Email goes to the outbox (no SMTP server); there is no webhook subscriber.
const world = useFaultWorld("outbox", { hook: false });

test("an outbox that cannot be written: a clear error in the log, alerts stay queued, and go out once it can", async () => {
  const { feeds, dir, prefix } = world;
  feeds.serve("/wire.xml", rssFeed("Wire", feeds.origin, matchingStories(ALERTS, "outbox")));
  // A file where the outbox directory should be: every write fails (ENOTDIR), even as root,
  // for whom a read-only directory would not.
  await writeFile(path.join(dir, "blocked"), "not a directory");
  const config = await writeConfig(dir, {
    feeds: [{ id: "wire", url: `${feeds.origin}/wire.xml`, every: "1h" }],
    email: "desk@example.org",
    outbox: "./blocked/outbox",
  });
  await seedDue(prefix, ["wire"]);
  const daemon = spawnRole(["start"], { config, prefix, cwd: dir, env: { SMTP_URL: "" } });
  world.processes.push(daemon);
  await running(daemon);

  // Every alert must have been tried (and refused) before the queue is counted: the first
  // error can be logged while the poll is still queueing the others.
  const outboxErrors = () =>
    logLines(daemon).filter((l) => /cannot write outbox file/.test(String(l.err)));
  await waitFor(
    `the outbox error in the log for all ${ALERTS} alerts`,
    () => new Set(outboxErrors().map((l) => l.deliveryId)).size === ALERTS,
    20_000,
    () => daemon.output(),
  );
  const line = outboxErrors()[0];
  expect(line?.err).toMatch(/blocked\/outbox\/.+\.eml: ENOTDIR .*check email\.outbox/);
  expect(line?.msg).toBe("delivery failed, will retry");
  expect(line?.deliveryId).toMatch(/\.email$/);

  const redis = new Redis(REDIS_URL);
  const queue = new Queue("email", { connection: redis, prefix: `{${prefix}}` });
  try {
    const counts = await queue.getJobCounts("waiting", "delayed", "active", "failed", "completed");
    expect((counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.active ?? 0)).toBe(ALERTS);
    expect(counts.failed).toBe(0);
    expect(counts.completed).toBe(0);
  } finally {
    await queue.close();
    redis.disconnect();
  }

  await rm(path.join(dir, "blocked"));
  await mkdir(path.join(dir, "blocked/outbox"), { recursive: true });
  const outbox = path.join(dir, "blocked/outbox");
  await waitFor(
    `${ALERTS} messages in the outbox`,
    async () => (await readdir(outbox)).filter((f) => f.endsWith(".eml")).length === ALERTS,
    25_000,
    () => daemon.output(),
  );
  await new Promise((r) => setTimeout(r, 500));
  const files = await readdir(outbox);
  expect(files.filter((f) => f.endsWith(".eml"))).toHaveLength(ALERTS);
  expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);
  expect(await stop(daemon)).toBe(0);
}, 60_000);
