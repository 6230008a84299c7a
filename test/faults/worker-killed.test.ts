import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { rssFeed } from "../fixtures/stories/wire.ts";
import { type FeedServer, startFeedServer } from "../helpers/feed-server.ts";
import { dropPrefix, uniquePrefix } from "../helpers/redis.ts";
import {
  duplicates,
  matchingStories,
  type Running,
  running,
  seedDue,
  spawnRole,
  stop,
  waitFor,
  writeConfig,
} from "./harness.ts";
import { type HookSink, type MailSink, startHookSink, startMailSink } from "./sinks.ts";

const ALERTS = 40;

let feeds: FeedServer;
let hook: HookSink;
let mail: MailSink;
let dir: string;
let prefix: string;
const processes: Running[] = [];

beforeEach(async () => {
  [feeds, hook, mail] = await Promise.all([
    startFeedServer(),
    startHookSink({ delayMs: 150 }),
    startMailSink({ delayMs: 150 }),
  ]);
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-fault-"));
  prefix = uniquePrefix("fault-kill");
});

afterEach(async () => {
  await Promise.all(processes.splice(0).map((p) => stop(p, "SIGKILL")));
  await Promise.all([feeds.close(), hook.close(), mail.close(), dropPrefix(prefix)]);
  await rm(dir, { recursive: true, force: true });
});

test("a worker SIGKILLed in the middle of deliveries: the next worker delivers every alert, none twice except the ones cut off mid-request, which carry the same id", async () => {
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
  const cutOff = new Set(hook.inFlight);
  const mailCutOff = new Set(mail.inFlight);
  first.kill("SIGKILL");
  await new Promise((r) => first.once("exit", r));
  const acceptedBeforeKill = new Set(hook.accepted);
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

  // An alert acknowledged before the crash is never sent again.
  const resent = hook.received.filter((id, i) => hook.received.indexOf(id) !== i);
  for (const id of resent) expect(acceptedBeforeKill.has(id)).toBe(false);
  // The only repeats are requests the crash cut off before they were answered: the worker
  // could not know they arrived, and they repeat with the same webhook-id for the receiver
  // to drop (Standard Webhooks' idempotency contract).
  for (const id of duplicates(hook.received)) expect(cutOff.has(id)).toBe(true);
  expect(duplicates(hook.accepted).filter((id) => !cutOff.has(id))).toEqual([]);
  // Email likewise: only a message cut off before the server's "250 OK" reached the worker
  // is sent again, with the same Message-ID.
  for (const id of duplicates(mail.messageIds)) expect(mailCutOff.has(id)).toBe(true);
  expect(second.exitCode).toBeNull();
}, 60_000);

test("a worker SIGKILLed in the middle of a poll: the next worker re-runs that poll and every alert goes out", async () => {
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
