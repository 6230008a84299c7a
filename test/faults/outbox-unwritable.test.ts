import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterEach, beforeEach, expect, test } from "vitest";
import { rssFeed } from "../fixtures/stories/wire.ts";
import { type FeedServer, startFeedServer } from "../helpers/feed-server.ts";
import { dropPrefix, REDIS_URL, uniquePrefix } from "../helpers/redis.ts";
import {
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

const ALERTS = 5;

let feeds: FeedServer;
let dir: string;
let prefix: string;
let daemon: Running | undefined;

beforeEach(async () => {
  feeds = await startFeedServer();
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-fault-"));
  prefix = uniquePrefix("fault-outbox");
});

afterEach(async () => {
  if (daemon) await stop(daemon, "SIGKILL");
  daemon = undefined;
  await Promise.all([feeds.close(), dropPrefix(prefix)]);
  await rm(dir, { recursive: true, force: true });
});

test("an outbox that cannot be written: a clear error in the log, alerts stay queued, and go out once it can", async () => {
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
  daemon = spawnRole(["start"], { config, prefix, cwd: dir, env: { SMTP_URL: "" } });
  await running(daemon);

  await waitFor(
    "the outbox error in the log",
    () => logLines(daemon as Running).some((l) => /cannot write outbox file/.test(String(l.err))),
    20_000,
    () => daemon?.output() ?? "",
  );
  const line = logLines(daemon).find((l) => /cannot write outbox file/.test(String(l.err)));
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
    () => daemon?.output() ?? "",
  );
  await new Promise((r) => setTimeout(r, 500));
  const files = await readdir(outbox);
  expect(files.filter((f) => f.endsWith(".eml"))).toHaveLength(ALERTS);
  expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);
  expect(await stop(daemon)).toBe(0);
  daemon = undefined;
}, 60_000);
