/**
 * Polling cost: `npm run bench:poll`. One newswatch process (this one) polls N feeds (default
 * 2,000) on a local server (a child process, not counted): a first pass reads every feed's
 * 100-item backlog; then, in the measured pass, most feeds answer 304 and a share publish a
 * fresh 100-item page. Prints feeds/s, items/s, CPU seconds per 1,000 polls, and the share of
 * one core 10,000 feeds on a 5-minute cycle would cost at the measured mix (target < 0.25).
 * Sizes: --feeds=N --changed=PERCENT (defaults 2000, 5) --concurrency=N (default 32).
 */
import type { PollOutcome } from "../src/pipeline/outcome.ts";
import { jobId } from "../src/queue/jobs.ts";
import type { AppContext } from "../src/runtime/context.ts";
import { startWorkers } from "../workers/index.ts";
import { ITEMS_PER_PAGE, VOCABULARY } from "./lib/feed-text.ts";
import {
  benchPrefix,
  dropPrefix,
  flag,
  fmt,
  openContext,
  peakRssMb,
  REDIS_URL,
  startSink,
  waitUntil,
} from "./lib/harness.ts";

const FEEDS = flag("feeds", 2000);
const CHANGED_PERCENT = flag("changed", 5);
const CONCURRENCY = flag("concurrency", 32);
const WATCHLISTS = 100;

interface Pass {
  seconds: number;
  cpuSeconds: number;
  outcomes: PollOutcome[];
}

async function pollAll(ctx: AppContext, due: number, outcomes: PollOutcome[]): Promise<Pass> {
  outcomes.length = 0;
  const ids = [...ctx.snapshot().feeds.keys()];
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < ids.length; i += 1000)
    await ctx.queues.poll.addBulk(
      ids.slice(i, i + 1000).map((feedId) => ({
        name: "poll",
        data: { feedId, due },
        opts: { jobId: jobId("poll", feedId, due) },
      })),
    );
  await waitUntil(() => outcomes.length >= ids.length, 900_000);
  const cpu = process.cpuUsage(cpuBefore);
  return {
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    outcomes: [...outcomes],
  };
}

function describe(name: string, pass: Pass): string {
  const count = (s: PollOutcome["status"]) => pass.outcomes.filter((o) => o.status === s).length;
  const items = pass.outcomes.reduce((n, o) => n + (o.items ?? 0), 0);
  const fresh = pass.outcomes.reduce((n, o) => n + o.newItems, 0);
  return `${name.padEnd(22)} ${fmt(pass.outcomes.length / pass.seconds)} feeds/s  ${fmt(items / pass.seconds)} items read/s (${fmt(fresh)} new)  ${fmt((1000 * pass.cpuSeconds) / pass.outcomes.length, 2)} CPU s per 1,000 polls  [${count("ok")} ok, ${count("not-modified")} 304, ${count("failed")} failed, ${fmt(pass.seconds, 1)} s]`;
}

const feedsSink = await startSink("feeds");
const prefix = benchPrefix("poll");
const origin = String(feedsSink.info.origin);
const words = VOCABULARY;
const yaml = `
redis: { prefix: ${prefix}, url: "${REDIS_URL}" }
security: { allowPrivateNetworks: true }
defaults: { minInterval: 1s, maxConcurrentPerHost: ${CONCURRENCY}, hostSpacing: 0s }
workers: { pollConcurrency: ${CONCURRENCY} }
feeds:
${Array.from({ length: FEEDS }, (_, i) => `  - { id: f${i}, url: "${origin}/f/${i}.xml" }`).join("\n")}
watchlists:
${Array.from({ length: WATCHLISTS }, (_, i) => `  - { id: w${i}, title: W${i}, query: "${words[i % words.length]} AND ${words[(i * 7 + 3) % words.length]}" }`).join("\n")}
`;
const { ctx } = await openContext(yaml);
const outcomes: PollOutcome[] = [];
const workers = startWorkers(ctx, ["poll"], { onPoll: (o) => outcomes.push(o) });
try {
  console.log(
    `bench:poll  ${new Date().toISOString()}  node ${process.version}  ${fmt(FEEDS)} feeds, ${WATCHLISTS} watchlists, ${CHANGED_PERCENT}% publish ${ITEMS_PER_PAGE} new items, concurrency ${CONCURRENCY}`,
  );
  const first = await pollAll(ctx, 1, outcomes);
  console.log(describe("first poll (backlog)", first));
  const changed = Array.from({ length: Math.round((FEEDS * CHANGED_PERCENT) / 100) }, (_, i) =>
    Math.floor((i * FEEDS) / Math.max(1, Math.round((FEEDS * CHANGED_PERCENT) / 100))),
  );
  await feedsSink.ask({ bump: changed });
  const mixed = await pollAll(ctx, 2, outcomes);
  console.log(describe(`steady (${CHANGED_PERCENT}% new)`, mixed));
  const quiet = await pollAll(ctx, 3, outcomes);
  console.log(describe("all 304", quiet));

  const cpuPerPoll = mixed.cpuSeconds / mixed.outcomes.length;
  const pollsPerSecond = 10_000 / 300;
  const share = cpuPerPoll * pollsPerSecond;
  console.log(
    `projection: 10,000 feeds every 5 min = ${fmt(pollsPerSecond, 1)} polls/s x ${fmt(cpuPerPoll * 1000, 2)} ms CPU = ${fmt(share, 3)} of one core (target < 0.25; newswatch process only, Redis not counted)`,
  );
  console.log(`peak RSS of the polling process: ${peakRssMb()} MB`);
} finally {
  await workers.close();
  await ctx.close();
  feedsSink.close();
  await dropPrefix(prefix);
}
process.exit(0);
