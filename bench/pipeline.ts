/**
 * The whole pipeline at size: `npm run bench:pipeline`. A local server with 1,000 feeds, 10,000
 * watchlist rules, 100 subscribers (half webhook, half email, to local sinks), one
 * `newswatch scheduler` and N `newswatch worker` processes on one Redis. The first cycle
 * records every feed's backlog; before each later cycle a share of the feeds publish new
 * items. Prints items/s, alerts delivered/s, discovery→delivery latency (webhooks: the
 * receiver compares arrival with the alert's discoveredAt) and peak memory per process.
 * Then a push phase: the first worker also serves HTTP, PUSH feeds get verified WebSub
 * subscriptions, and each receives one signed push of new items; prints publication (the
 * push leaving the stand-in hub) → webhook delivery p50/p99 over the alerts of pushed items.
 * Sizes: --feeds=N --rules=N --workers=N --cycles=N --changed=PERCENT --new=N --push=N
 * (defaults 1000, 10000, 2, 4, 20, 5, 50).
 */
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { Redis } from "ioredis";
import { VOCABULARY } from "./lib/feed-text.ts";
import {
  benchPrefix,
  dropPrefix,
  flag,
  fmt,
  openContext,
  peakRssMb,
  percentile,
  REDIS_URL,
  startSink,
  waitUntil,
} from "./lib/harness.ts";
import { fakeVerifiedSubscriptions, freePort, push, pushedFeedOf } from "./lib/push.ts";

const FEEDS = flag("feeds", 1000);
const RULES = flag("rules", 10_000);
const WORKERS = flag("workers", 2);
const CYCLES = flag("cycles", 4);
const CHANGED_PERCENT = flag("changed", 20);
const NEW_PER_FEED = flag("new", 5);
const PUSH_FEEDS = flag("push", 50);
const SUBSCRIBERS = 100;
const EVERY_S = 20;
const BIN = path.resolve(import.meta.dirname, "../bin/newswatch.js");

/** Splits sorted timestamps wherever the gap exceeds `gapMs`. */
function splitBursts(times: number[], gapMs: number): number[][] {
  const bursts: number[][] = [];
  for (const t of times) {
    const current = bursts.at(-1);
    if (current && t - (current.at(-1) ?? t) <= gapMs) current.push(t);
    else bursts.push([t]);
  }
  return bursts;
}

const [feeds, hook, smtp] = await Promise.all([
  startSink("feeds", [String(NEW_PER_FEED)]),
  startSink("webhook"),
  startSink("smtp"),
]);
const prefix = benchPrefix("pipeline");
const origin = String(feeds.info.origin);
const httpPort = await freePort();
const callbackBase = `http://127.0.0.1:${httpPort}`;

function configYaml(): string {
  const subscribers = Array.from({ length: SUBSCRIBERS }, (_, s) => {
    const lists = Array.from(
      { length: Math.ceil(RULES / SUBSCRIBERS) },
      (_, k) => k * SUBSCRIBERS + s,
    )
      .filter((w) => w < RULES)
      .map((w) => `w${w}`);
    const channel =
      s % 2 === 0
        ? `webhook: { url: "${hook.info.url}", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }`
        : `email: desk${s}@example.org`;
    // No storm cap: the bench measures every alert of the run, as before the default cap.
    return `  - { id: s${s}, ${channel}, maxPerHour: unlimited, watchlists: [${lists.join(", ")}] }`;
  });
  return `redis: { prefix: ${prefix}, url: "${REDIS_URL}" }
http: { port: ${httpPort}, publicUrl: "${callbackBase}" }
email: { from: "Bench <bench@newswatch.local>", smtp: "${smtp.info.url}" }
security: { allowPrivateNetworks: true }
defaults: { minInterval: 1s, every: ${EVERY_S}s, maxConcurrentPerHost: 32, hostSpacing: 0s }
workers: { pollConcurrency: 16, deliverConcurrency: 32 }
feeds:
${Array.from({ length: FEEDS }, (_, i) => `  - { id: f${i}, url: "${origin}/f/${i}.xml" }`).join("\n")}
watchlists:
${Array.from({ length: RULES }, (_, i) => `  - { id: w${i}, title: "Topic ${i}", query: "code${i} OR (code${i + 50_000} AND ${VOCABULARY[i % VOCABULARY.length]})" }`).join("\n")}
subscribers:
${subscribers.join("\n")}
`;
}

/**
 * One signed push of new items to each of the first PUSH_FEEDS feeds, a few at a time, then
 * the wait until deliveries stop moving. Returns how long each push took to be answered.
 */
async function pushPhase(): Promise<{ sentAt: Map<number, number>; answered: number[] }> {
  const secrets = await fakeVerifiedSubscriptions(redis, prefix, Math.min(PUSH_FEEDS, FEEDS));
  const sentAt = new Map<number, number>();
  const times: number[] = [];
  for (let i = 0; i < secrets.length; i += 5) {
    const batch = secrets.slice(i, i + 5).map(async (secret, k) => {
      const result = await push(callbackBase, i + k, secret, 1_000_000, NEW_PER_FEED);
      sentAt.set(i + k, result.sentAt);
      return result.answeredMs;
    });
    times.push(...(await Promise.all(batch)));
  }
  let last = -1;
  let stableSince = Date.now();
  await waitUntil(async () => {
    const n = await delivered();
    if (n !== last) {
      last = n;
      stableSince = Date.now();
    }
    return Date.now() - stableSince > 3000;
  }, 120_000);
  return { sentAt, answered: times.sort((a, b) => a - b) };
}

// Validate the generated config in-process first: a mistake shows here, not as a dead child.
const { ctx, dir } = await openContext(configYaml());
await ctx.close();
const config = path.join(dir, "newswatch.yaml");
await writeFile(config, configYaml());

// Every feed due now, so the first cycle starts at once instead of over the first minute.
const redis = new Redis(REDIS_URL);
const now = Date.now();
const pipe = redis.pipeline();
for (let i = 0; i < FEEDS; i++) pipe.hset(`{${prefix}}:feed:f${i}`, "nextPollAt", now);
await pipe.exec();

const env = { ...process.env, LOG_LEVEL: "warn", NEWSWATCH_LOG_FORMAT: "json" };
const spawnRole = (role: string, ...extra: string[]) => {
  const child = spawn(process.execPath, [BIN, role, ...extra, "--config", config], {
    cwd: dir,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let errors = "";
  child.stderr?.on("data", (d) => {
    if (errors.length < 4000) errors += d;
  });
  return Object.assign(child, { role, errors: () => errors });
};
const processes = [
  spawnRole("scheduler"),
  // The first worker serves the WebSub callback too (`worker --http`).
  ...Array.from({ length: WORKERS }, (_, i) =>
    i === 0 ? spawnRole("worker", "--http") : spawnRole("worker"),
  ),
];
const peaks = new Map<number, number>();
const sampler = setInterval(() => {
  for (const p of processes)
    if (p.pid) peaks.set(p.pid, Math.max(peaks.get(p.pid) ?? 0, peakRssMb(p.pid) || 0));
}, 500);

type FeedStats = { requests: number; times: number[]; fullTimes: number[] };
type HookStats = {
  count: number;
  latencies: number[];
  times: number[];
  items: [string, number][];
};
const feedStats = () => feeds.ask<FeedStats>({ stats: true });
const delivered = async () =>
  (await hook.ask<HookStats>({ stats: true })).count +
  (await smtp.ask<{ count: number }>({ stats: true })).count;

console.log(
  `bench:pipeline  ${new Date().toISOString()}  node ${process.version}  ${fmt(FEEDS)} feeds, ${fmt(RULES)} rules, ${SUBSCRIBERS} subscribers, 1 scheduler + ${WORKERS} workers, ${CYCLES} cycles of ${EVERY_S} s, ${CHANGED_PERCENT}% of feeds publish ${NEW_PER_FEED} items per cycle`,
);
let newItems = 0;
const cycleSpans: number[] = [];
try {
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const before = (await feedStats()).requests;
    await waitUntil(async () => (await feedStats()).requests >= before + FEEDS, 180_000);
    const times = (await feedStats()).times.slice(before);
    const span = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000;
    console.log(
      `cycle ${cycle}: ${fmt(FEEDS)} polls in ${fmt(span, 1)} s${cycle === 0 ? " (backlog recorded, no alerts)" : ""}`,
    );
    if (cycle > 0) cycleSpans.push(span);
    if (cycle < CYCLES - 1) {
      const count = Math.round((FEEDS * CHANGED_PERCENT) / 100);
      const offset = (cycle * count) % FEEDS;
      await feeds.ask({ bump: Array.from({ length: count }, (_, k) => (offset + k) % FEEDS) });
      newItems += count * NEW_PER_FEED;
    }
  }
  // Wait for the last deliveries: the count stops moving for 3 s.
  let last = -1;
  let stableSince = Date.now();
  await waitUntil(async () => {
    const n = await delivered();
    if (n !== last) {
      last = n;
      stableSince = Date.now();
    }
    return Date.now() - stableSince > 3000;
  }, 120_000);
  const hookStats = await hook.ask<HookStats>({ stats: true });
  const smtpStats = await smtp.ask<{ count: number; times: number[] }>({ stats: true });
  // The cycles' figures are taken above; the push phase's deliveries come after them.
  const { sentAt, answered: pushTimes } = await pushPhase();
  const afterPush = await hook.ask<HookStats>({ stats: true });
  // Publication (the hub's push leaving) to the webhook's arrival, per pushed item's alert.
  const pushLatencies = afterPush.items
    .map(([itemId, at]) => {
      const feed = pushedFeedOf(itemId);
      const sent = feed === null ? undefined : sentAt.get(feed);
      return sent === undefined ? Number.NaN : at - sent;
    })
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const arrivals = [...hookStats.times, ...smtpStats.times].sort((a, b) => a - b);
  const latencies = [...hookStats.latencies].sort((a, b) => a - b);
  // Each alerting cycle is a burst: from the first poll that found new items to the last
  // alert that cycle delivered. Rates are over those windows, not the idle time between.
  const bursts = splitBursts(arrivals, 3000);
  const full = (await feedStats()).fullTimes.sort((a, b) => a - b);
  let windowSeconds = 0;
  let burstSeconds = 0;
  let previousEnd = full[FEEDS - 1] ?? 0; // the backlog cycle's full responses come first
  for (const burst of bursts) {
    const first = burst[0] ?? 0;
    const last = burst.at(-1) ?? 0;
    const cycleStart = full.find((t) => t > previousEnd && t <= first) ?? first;
    windowSeconds += (last - cycleStart) / 1000;
    burstSeconds += Math.max(last - first, 1) / 1000;
    previousEnd = last;
  }
  console.log(
    `items: ${fmt(newItems)} new in ${cycleSpans.length} alerting cycles; ${fmt(newItems / Math.max(windowSeconds, 0.001))} items/s from a cycle's first new-item poll to its last delivery (${fmt(windowSeconds, 1)} s in all)`,
  );
  console.log(
    `alerts delivered: ${fmt(arrivals.length)} (${fmt(hookStats.count)} webhooks, ${fmt(smtpStats.count)} emails) in ${bursts.length} bursts, ${fmt(arrivals.length / Math.max(burstSeconds, 0.001))} /s within bursts`,
  );
  console.log(
    `discovery→delivery (webhooks): p50 ${fmt(percentile(latencies, 50))} ms, p99 ${fmt(percentile(latencies, 99))} ms, max ${fmt(latencies.at(-1) ?? Number.NaN)} ms over ${fmt(latencies.length)} alerts (target p99 < 1,000 ms)`,
  );
  console.log(
    `push (WebSub) publication→delivery (webhooks): p50 ${fmt(percentile(pushLatencies, 50))} ms, p99 ${fmt(percentile(pushLatencies, 99))} ms, max ${fmt(pushLatencies.at(-1) ?? Number.NaN)} ms over ${fmt(pushLatencies.length)} alerts from ${PUSH_FEEDS} pushes; the callback answered in p50 ${fmt(percentile(pushTimes, 50))} ms, p99 ${fmt(percentile(pushTimes, 99))} ms (it processes before answering)`,
  );
  for (const p of processes)
    console.log(
      `peak memory ${p.role.padEnd(9)} pid ${p.pid}: ${peaks.get(p.pid ?? 0) ?? "?"} MB (target < 300 MB)`,
    );
  for (const p of processes)
    if (p.errors()) console.log(`${p.role} ${p.pid} stderr:\n${p.errors().slice(0, 2000)}`);
} finally {
  clearInterval(sampler);
  for (const p of processes) p.kill("SIGTERM");
  await Promise.all(
    processes.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once("exit", r)))),
  );
  feeds.close();
  hook.close();
  smtp.close();
  redis.disconnect();
  await dropPrefix(prefix);
}
process.exit(0);
