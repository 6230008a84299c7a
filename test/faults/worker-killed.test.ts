import http from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { expect, test } from "vitest";
import { rssFeed } from "../fixtures/stories/wire.ts";
import { REDIS_URL } from "../helpers/redis.ts";
import {
  duplicates,
  matchingStories,
  running,
  seedDue,
  spawnRole,
  useFaultWorld,
  waitFor,
  writeConfig,
} from "./harness.ts";

const ALERTS = 40;

// Slow receivers keep deliveries in flight long enough for a kill to land among them.
const world = useFaultWorld("kill", { mail: true, hookDelayMs: 150, mailDelayMs: 150 });

test("a worker SIGKILLed in the middle of deliveries: the next worker delivers every alert, nothing recorded as delivered goes out again, and the few repeats carry the same id", async () => {
  const { feeds, hook, mail, dir, prefix, processes } = world;
  feeds.serve("/wire.xml", rssFeed("Wire", feeds.origin, matchingStories(ALERTS, "kill")));
  const config = await writeConfig(dir, {
    feeds: [{ id: "wire", url: `${feeds.origin}/wire.xml`, every: "1h" }],
    webhookUrl: hook.url,
    email: "desk@example.org",
    workers: "deliverConcurrency: 4",
  });
  await seedDue(prefix, ["wire"]);
  const env = { SMTP_URL: mail.url };
  const scheduler = spawnRole(["scheduler"], { config, prefix, cwd: dir, env });
  const first = spawnRole(["worker"], { config, prefix, cwd: dir, env });
  processes.push(scheduler, first);
  await Promise.all([running(scheduler), running(first)]);

  await waitFor(
    "some webhooks to arrive",
    () => hook.accepted.length >= 8,
    20_000,
    () => first.output(),
  );
  first.kill("SIGKILL");
  await new Promise((r) => first.once("exit", r));
  // What the dead worker had recorded as delivered: the promise is that none of it is sent
  // again. (An answer that reached the receiver's socket but not the worker's record is
  // in the at-least-once window, like a request cut off mid-flight.)
  const recordedBeforeKill = await deliveredAlertIds(prefix, "webhook");
  const mailRecordedBeforeKill = await deliveredAlertIds(prefix, "email");
  // The kill really was mid-run on both channels.
  expect(hook.accepted.length).toBeLessThan(ALERTS);
  expect(new Set(mail.messageIds).size).toBeLessThan(ALERTS);

  const second = spawnRole(["worker"], { config, prefix, cwd: dir, env });
  processes.push(second);
  await waitFor(
    `all ${ALERTS} webhooks and ${ALERTS} emails`,
    () => new Set(hook.accepted).size === ALERTS && new Set(mail.messageIds).size === ALERTS,
    40_000,
    () =>
      `webhooks ${new Set(hook.accepted).size}, emails ${new Set(mail.messageIds).size}\n${second.output()}`,
  );
  await new Promise((r) => setTimeout(r, 1000)); // anything that would arrive twice has by now

  // An alert recorded as delivered before the crash is never sent again.
  expect(recordedBeforeKill.size).toBeGreaterThan(0);
  for (const id of duplicates(hook.received)) expect(recordedBeforeKill.has(id)).toBe(false);
  // Repeats are few (at most the dead worker's concurrency) and carry the same webhook-id,
  // for the receiver to drop (Standard Webhooks' idempotency contract).
  expect(duplicates(hook.received).length).toBeLessThanOrEqual(4);
  // Email likewise: nothing recorded as sent goes out again; a repeat (the server's "250 OK"
  // never reached the dead worker) has the same Message-ID.
  expect(mailRecordedBeforeKill.size).toBeGreaterThan(0);
  for (const id of duplicates(mail.messageIds)) {
    expect(mailRecordedBeforeKill.has(messageIdLocalPart(id))).toBe(false);
  }
  expect(second.exitCode).toBeNull();
}, 60_000);

test("a worker SIGKILLed in the middle of a poll: the next worker re-runs that poll and every alert goes out", async () => {
  const { hook, dir, prefix, processes } = world;
  const stories = matchingStories(6, "midpoll");
  // A publisher that takes its time: the kill lands while the poll is waiting for the body.
  const slow = http.createServer((_req, res) => {
    setTimeout(() => {
      if (!res.destroyed)
        res
          .writeHead(200, { "content-type": "application/rss+xml" })
          .end(rssFeed("Slow", "http://x", stories));
    }, 1500);
  });
  await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
  const slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/feed.xml`;
  let requests = 0;
  slow.on("request", () => requests++);
  try {
    const config = await writeConfig(dir, {
      feeds: [{ id: "slow", url: slowUrl, every: "1h" }],
      webhookUrl: hook.url,
    });
    await seedDue(prefix, ["slow"]);
    const scheduler = spawnRole(["scheduler"], { config, prefix, cwd: dir });
    const first = spawnRole(["worker"], { config, prefix, cwd: dir });
    processes.push(scheduler, first);
    await Promise.all([running(scheduler), running(first)]);
    await waitFor(
      "the poll to start",
      () => requests === 1,
      20_000,
      () => first.output(),
    );
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));

    const second = spawnRole(["worker"], { config, prefix, cwd: dir });
    processes.push(second);
    await waitFor(
      "every alert of the interrupted poll",
      () => new Set(hook.accepted).size === stories.length,
      30_000,
      () => `${requests} feed requests, ${hook.accepted.length} webhooks\n${second.output()}`,
    );
    expect(duplicates(hook.accepted)).toEqual([]);
    expect(requests).toBe(2);
  } finally {
    slow.closeAllConnections();
    await new Promise<void>((resolve) => slow.close(() => resolve()));
  }
}, 60_000);

/** Alert ids with a delivered record for one channel. */
async function deliveredAlertIds(keyPrefix: string, channel: string): Promise<Set<string>> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = await redis.keys(`{${keyPrefix}}:delivered:*.${channel}`);
    const start = `{${keyPrefix}}:delivered:`.length;
    return new Set(keys.map((k) => k.slice(start, -`.${channel}`.length)));
  } finally {
    redis.disconnect();
  }
}

/** "<a1b2@localhost>" → "a1b2": Message-IDs are built from the alert id (see the email channel). */
function messageIdLocalPart(messageId: string): string {
  return messageId.replace(/^<|@.*$/g, "");
}
