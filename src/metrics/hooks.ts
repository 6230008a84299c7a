import type { Job } from "bullmq";
import type { PollOutcome } from "../pipeline/outcome.ts";
import type { DeliverJob } from "../queue/jobs.ts";
import type { Metrics } from "./registry.ts";

/** The worker callbacks that feed the metrics (a subset of startWorkers' WorkerHooks). */
export interface MetricHooks {
  onPoll(outcome: PollOutcome): void;
  onDelivered(job: DeliverJob, outcome: "sent" | "skipped"): void;
  onDeliveryFailed(job: Job, err: Error, final: boolean): void;
}

/** A delivery id is `<message id>.<channel>` (see deliveryId in queue/enqueue.ts). */
export function channelOfDeliveryId(deliveryId: string): string {
  const dot = deliveryId.lastIndexOf(".");
  return dot === -1 ? "unknown" : deliveryId.slice(dot + 1);
}

export function metricHooks(metrics: Metrics, now: () => number = Date.now): MetricHooks {
  return {
    onPoll(outcome) {
      metrics.polls.inc({ outcome: outcome.status });
      if (outcome.status === "skipped") return;
      metrics.fetchSeconds.observe(outcome.fetchMs / 1000);
      metrics.itemsSeen.inc(outcome.items ?? 0);
      metrics.itemsNew.inc(outcome.newItems);
      for (const [watchlist, n] of Object.entries(outcome.matchesByWatchlist))
        metrics.matches.inc({ watchlist }, n);
      for (const id of outcome.deliveryIds)
        metrics.alertsQueued.inc({ channel: channelOfDeliveryId(id) });
      metrics.alertsDigested.inc(outcome.digested);
    },
    onDelivered(job, outcome) {
      if (outcome === "skipped") {
        metrics.deliveriesSkipped.inc({ channel: job.channel });
        return;
      }
      metrics.deliveriesSent.inc({ channel: job.channel, kind: job.message.kind });
      if (job.message.kind === "alert" && job.discoveredAt !== undefined)
        metrics.deliveryLatency.observe(
          { channel: job.channel },
          Math.max(0, now() - job.discoveredAt) / 1000,
        );
    },
    onDeliveryFailed(job, _err, final) {
      const channel = typeof job.data?.channel === "string" ? job.data.channel : "unknown";
      metrics.deliveriesFailed.inc({ channel, final: String(final) });
    },
  };
}
