import { createRequire } from "node:module";
import type * as PromClient from "prom-client";
import type { Counter, Histogram, Registry } from "prom-client";

// Loaded with the first registry, not at import: prom-client costs about 100 ms and 12 MB at
// start, and only a process that serves /metrics builds one (run-once and the CLI never do).
const require = createRequire(import.meta.url);
const promClient = () => require("prom-client") as typeof PromClient;

/** Feed health buckets, as an operator reads them on a dashboard. */
export type FeedHealth = "ok" | "failing" | "silent" | "held" | "disabled" | "unpolled";

/** What the scrape-time gauges read from Redis; absent sources leave their gauges empty. */
export interface MetricSources {
  /** Job counts per queue and state (BullMQ getJobCounts). */
  queueCounts?(): Promise<Record<string, Record<string, number>>>;
  feedHealth?(): Promise<Record<FeedHealth, number>>;
}

/**
 * A scrape must never hang on a Redis outage: worker connections retry commands forever, so
 * a scrape-time read gets this long and the gauge is left empty when it does not answer.
 */
const SCRAPE_READ_TIMEOUT_MS = 2000;

// Discovery→delivery spans a poll, the queue and a send: from tens of ms to retries hours later.
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 7200, 86_400];
const FETCH_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Every Prometheus metric one newswatch process exports, in its own Registry: nothing is
 * registered at import, so tests and several contexts in one process never collide.
 */
export class Metrics {
  readonly registry: Registry;
  readonly polls: Counter<"outcome">;
  readonly fetchSeconds: Histogram;
  readonly itemsSeen: Counter;
  readonly itemsNew: Counter;
  readonly matches: Counter<"watchlist">;
  readonly alertsQueued: Counter<"channel">;
  readonly alertsDigested: Counter;
  readonly deliveriesSent: Counter<"channel" | "kind">;
  readonly deliveriesSkipped: Counter<"channel">;
  readonly deliveriesFailed: Counter<"channel" | "final">;
  readonly deliveryLatency: Histogram<"channel">;

  constructor(sources: MetricSources = {}, opts: { processMetrics?: boolean } = {}) {
    const { Counter, Gauge, Histogram, Registry } = promClient();
    this.registry = new Registry();
    const registers = [this.registry];
    this.polls = new Counter({
      name: "newswatch_polls_total",
      help: "Feed polls by outcome (ok, not-modified, failed, skipped)",
      labelNames: ["outcome"],
      registers,
    });
    this.fetchSeconds = new Histogram({
      name: "newswatch_fetch_duration_seconds",
      help: "Time to fetch one feed, including waiting for the per-host limit",
      buckets: FETCH_BUCKETS,
      registers,
    });
    this.itemsSeen = new Counter({
      name: "newswatch_items_seen_total",
      help: "Items read from fetched feed documents",
      registers,
    });
    this.itemsNew = new Counter({
      name: "newswatch_items_new_total",
      help: "Items never seen before",
      registers,
    });
    this.matches = new Counter({
      name: "newswatch_matches_total",
      help: "Items that matched a watchlist",
      labelNames: ["watchlist"],
      registers,
    });
    this.alertsQueued = new Counter({
      name: "newswatch_alerts_queued_total",
      help: "Immediate deliveries queued, per channel",
      labelNames: ["channel"],
      registers,
    });
    this.alertsDigested = new Counter({
      name: "newswatch_alerts_digested_total",
      help: "Alerts filed for a digest instead of sent at once",
      registers,
    });
    this.deliveriesSent = new Counter({
      name: "newswatch_deliveries_sent_total",
      help: "Messages accepted by the channel, per channel and kind (alert, digest, notice)",
      labelNames: ["channel", "kind"],
      registers,
    });
    this.deliveriesSkipped = new Counter({
      name: "newswatch_deliveries_skipped_total",
      help: "Deliveries not attempted (subscriber left, channel disabled)",
      labelNames: ["channel"],
      registers,
    });
    this.deliveriesFailed = new Counter({
      name: "newswatch_deliveries_failed_total",
      help: "Failed delivery attempts; final=true means no retry is left",
      labelNames: ["channel", "final"],
      registers,
    });
    this.deliveryLatency = new Histogram({
      name: "newswatch_discovery_to_delivery_seconds",
      help: "From the poll that discovered an item to its alert being accepted by the channel",
      labelNames: ["channel"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    new Gauge({
      name: "newswatch_queue_jobs",
      help: "Jobs per queue and state, read from Redis at scrape time",
      labelNames: ["queue", "state"],
      registers,
      async collect() {
        this.reset();
        const counts = await withinScrape(sources.queueCounts?.());
        for (const [queue, states] of Object.entries(counts ?? {}))
          for (const [state, n] of Object.entries(states)) this.set({ queue, state }, n);
      },
    });
    new Gauge({
      name: "newswatch_feeds",
      help: "Configured feeds by health (ok, failing, silent, held, disabled, unpolled), read at scrape time",
      labelNames: ["health"],
      registers,
      async collect() {
        this.reset();
        const counts = await withinScrape(sources.feedHealth?.());
        for (const [health, n] of Object.entries(counts ?? {})) this.set({ health }, n);
      },
    });
    this.processMetrics = opts.processMetrics ?? true;
  }

  private processMetrics: boolean;

  /** The Prometheus text exposition of every metric. */
  async render(): Promise<string> {
    // Process metrics start with the first scrape: they install GC and event-loop observers,
    // which a context that is never scraped (CLI commands, tests) should not leave behind.
    if (this.processMetrics) {
      this.processMetrics = false;
      promClient().collectDefaultMetrics({ register: this.registry, prefix: "newswatch_" });
    }
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

async function withinScrape<T>(read: Promise<T> | undefined): Promise<T | undefined> {
  if (!read) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), SCRAPE_READ_TIMEOUT_MS);
  });
  try {
    return await Promise.race([read.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
