import type { Snapshot } from "../model/snapshot.ts";
import { feedHealth, type FeedHealth as PipelineHealth } from "../pipeline/feed-health.ts";
import type { Queues } from "../queue/queues.ts";
import type { FeedStateStore } from "../store/feed-state.ts";
import type { FeedHealth, MetricSources } from "./registry.ts";

const STATES = ["waiting", "active", "delayed", "prioritized", "failed", "completed"] as const;

/** Scrape-time readers over a process's queues and feed states. */
export function metricSources(deps: {
  queues: Queues;
  feedStates: FeedStateStore;
  snapshot(): Snapshot;
}): MetricSources {
  return {
    async queueCounts() {
      const entries = await Promise.all(
        [deps.queues.poll, deps.queues.deliver, deps.queues.email, deps.queues.digest].map(
          async (q) => [q.name, await q.getJobCounts(...STATES)] as const,
        ),
      );
      return Object.fromEntries(entries);
    },
    async feedHealth() {
      const counts: Record<FeedHealth, number> = {
        ok: 0,
        failing: 0,
        silent: 0,
        held: 0,
        disabled: 0,
        unpolled: 0,
      };
      const feeds = [...deps.snapshot().feeds.values()];
      const states = await deps.feedStates.getMany(feeds.map((f) => f.id));
      const now = Date.now();
      for (const feed of feeds) {
        const state = states.get(feed.id);
        // The classification the Sources page and `newswatch feeds` show.
        const health = !feed.enabled ? "disabled" : state ? feedHealth(state, 1, now) : "pending";
        counts[METRIC_LABEL[health]]++;
      }
      return counts;
    },
  };
}

/** `pending` keeps the gauge's older name, unpolled, so existing alert rules still read it. */
const METRIC_LABEL: Record<PipelineHealth, FeedHealth> = {
  ok: "ok",
  silent: "silent",
  failing: "failing",
  held: "held",
  disabled: "disabled",
  pending: "unpolled",
};
