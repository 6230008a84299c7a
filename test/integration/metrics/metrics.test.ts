import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import {
  httpUrl,
  type Running,
  seedDue,
  spawnRole,
  stop,
  waitFor,
  writeConfig,
} from "../../faults/harness.ts";
import { NEAR_MISSES, rssFeed, TAJI } from "../../fixtures/stories/wire.ts";
import { type FeedServer, startFeedServer } from "../../helpers/feed-server.ts";
import { dropPrefix, uniquePrefix } from "../../helpers/redis.ts";
import { type Receiver, startReceiver } from "../channels/http-receiver.ts";
import { type SmtpSink, startSmtpSink } from "../channels/smtp-sink.ts";

const ADMIN_TOKEN = "metrics-test-admin-token-0123456789";

let feeds: FeedServer;
let smtp: SmtpSink;
let hook: Receiver;
let dir: string;
let prefix: string;
let daemon: Running | undefined;

beforeEach(async () => {
  [feeds, smtp, hook] = await Promise.all([startFeedServer(), startSmtpSink(), startReceiver()]);
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-metrics-"));
  prefix = uniquePrefix("metrics");
});

afterEach(async () => {
  if (daemon) await stop(daemon);
  daemon = undefined;
  await Promise.all([feeds.close(), smtp.close(), hook.close(), dropPrefix(prefix)]);
  await rm(dir, { recursive: true, force: true });
});

/** One sample's value from the Prometheus text format, e.g. `name{label="x"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test("after a poll that alerts, /metrics shows the poll, the items, the match, both deliveries and their latency", async () => {
  // The `rocket` watchlist matches the Taji report and "Rocket Lab" among the near misses.
  feeds.serve("/wire.xml", rssFeed("Test Wire", feeds.origin, [TAJI, ...NEAR_MISSES]));
  const config = await writeConfig(dir, {
    feeds: [{ id: "wire", url: `${feeds.origin}/wire.xml`, every: "1h" }],
    webhookUrl: `${hook.origin}/hook`,
    email: "ops@example.org",
  });
  await seedDue(prefix, ["wire"]);
  daemon = spawnRole(["start"], {
    config,
    prefix,
    cwd: dir,
    env: { SMTP_URL: smtp.url, NEWSWATCH_ADMIN_TOKEN: ADMIN_TOKEN },
  });
  const base = await httpUrl(daemon);

  await waitFor(
    "two emails and two webhooks",
    () => smtp.received.length === 2 && hook.received.length === 2,
    20_000,
    () => daemon?.output() ?? "",
  );
  let text = "";
  await waitFor(
    "the delivery counters",
    async () => {
      text = await (await fetch(`${base}/metrics`)).text();
      return (
        sample(text, 'newswatch_deliveries_sent_total{channel="webhook",kind="alert"}') === 2 &&
        sample(text, 'newswatch_deliveries_sent_total{channel="email",kind="alert"}') === 2 &&
        // The counter moves inside the job; BullMQ marks it completed just after.
        sample(text, 'newswatch_queue_jobs{queue="deliver",state="completed"}') === 2 &&
        sample(text, 'newswatch_queue_jobs{queue="email",state="completed"}') === 2
      );
    },
    5000,
    () => text,
  );
  expect(sample(text, 'newswatch_polls_total{outcome="ok"}')).toBe(1);
  expect(sample(text, "newswatch_items_seen_total")).toBe(1 + NEAR_MISSES.length);
  expect(sample(text, "newswatch_items_new_total")).toBe(1 + NEAR_MISSES.length);
  expect(sample(text, 'newswatch_matches_total{watchlist="rockets"}')).toBe(2);
  expect(sample(text, 'newswatch_alerts_queued_total{channel="email"}')).toBe(2);
  expect(sample(text, 'newswatch_alerts_queued_total{channel="webhook"}')).toBe(2);
  expect(sample(text, "newswatch_fetch_duration_seconds_count")).toBe(1);
  expect(sample(text, 'newswatch_discovery_to_delivery_seconds_count{channel="webhook"}')).toBe(2);
  // The deliveries of one local poll land within seconds of discovery.
  expect(
    sample(text, 'newswatch_discovery_to_delivery_seconds_bucket{le="5",channel="webhook"}'),
  ).toBe(2);
  expect(sample(text, 'newswatch_queue_jobs{queue="deliver",state="waiting"}')).toBe(0);
  expect(sample(text, 'newswatch_feeds{health="ok"}')).toBe(1);
  expect(sample(text, 'newswatch_feeds{health="failing"}')).toBe(0);
  expect(text).toContain("newswatch_process_resident_memory_bytes");

  const refused = await fetch(`${base}/admin/queues`);
  expect(refused.status).toBe(401);
  const wrong = await fetch(`${base}/admin/queues`, {
    headers: { authorization: "Bearer not-the-token-at-all-0000000000" },
  });
  expect(wrong.status).toBe(401);
  const board = await fetch(`${base}/admin/queues`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(board.status).toBe(200);
  expect(await board.text()).toMatch(/<html/i);
  const api = await fetch(`${base}/admin/queues/api/queues`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(api.status).toBe(200);
  const queues = (await api.json()) as { queues: { name: string }[] };
  expect(queues.queues.map((q) => q.name).sort()).toEqual(["deliver", "digest", "email", "poll"]);

  expect(await stop(daemon)).toBe(0);
  daemon = undefined;
}, 45_000);

test("a feed that fails counts as a failed poll and a failing feed", async () => {
  feeds.fail("/down.xml", 500, "oops");
  const config = await writeConfig(dir, {
    feeds: [{ id: "down", url: `${feeds.origin}/down.xml`, every: "1h" }],
    webhookUrl: `${hook.origin}/hook`,
  });
  await seedDue(prefix, ["down"]);
  daemon = spawnRole(["start"], { config, prefix, cwd: dir });
  const base = await httpUrl(daemon);
  let text = "";
  await waitFor(
    "a failed poll",
    async () => {
      text = await (await fetch(`${base}/metrics`)).text();
      return sample(text, 'newswatch_polls_total{outcome="failed"}') === 1;
    },
    15_000,
    () => text,
  );
  expect(sample(text, 'newswatch_feeds{health="failing"}')).toBe(1);
  expect(sample(text, 'newswatch_feeds{health="ok"}')).toBe(0);
  expect(sample(text, "newswatch_items_seen_total")).toBe(0);
}, 30_000);
