import type { PollOutcome } from "../pipeline/outcome.ts";
import { refreshFeed } from "../pipeline/refresh-feed.ts";
import type { AppContext } from "./context.ts";
import { startWorkers } from "./workers.ts";

export interface DeliveryTally {
  delivered: number;
  failed: number;
  /** Still being retried when run-once stopped waiting: left queued for the daemon. */
  pending: number;
  failures: { deliveryId: string; reason: string }[];
}

export interface RunSummary {
  feeds: PollOutcome[];
  deliveries: DeliveryTally;
}

/** A short retry schedule for a run that waits: 0.5 s, 1 s, 2 s... never below Retry-After. */
export function quickRetryDelay(attemptsMade: number, retryAfterMs: number | undefined): number {
  return Math.max(Math.min(500 * 2 ** (attemptsMade - 1), 5000), retryAfterMs ?? 0);
}

/**
 * Polls every enabled feed once, then waits until each delivery it queued has succeeded or
 * failed for good, or until `retryForMs` has passed; deliveries still retrying then stay
 * queued (nothing is dropped) and count as not delivered.
 */
export async function runOnce(
  ctx: AppContext,
  opts: { retryForMs: number; feedIds?: string[] },
): Promise<RunSummary> {
  await ctx.loadApiWatchlists();
  const snapshot = ctx.snapshot();
  const feeds = [...snapshot.feeds.values()].filter(
    (f) => f.enabled && (!opts.feedIds || opts.feedIds.includes(f.id)),
  );
  const workers = startWorkers(ctx, ["deliver", "digest"], { retryDelayMs: quickRetryDelay });
  try {
    const outcomes = await mapWithConcurrency(
      feeds,
      snapshot.config.workers.pollConcurrency,
      (feed) => refreshFeed(feed.id, ctx.refreshDeps()),
    );
    const deliveryIds = [...new Set(outcomes.flatMap((o) => o.deliveryIds))];
    const deliveries = await waitForDeliveries(ctx, deliveryIds, Date.now() + opts.retryForMs);
    return { feeds: outcomes, deliveries };
  } finally {
    await workers.close();
  }
}

export async function waitForDeliveries(
  ctx: AppContext,
  ids: string[],
  deadline: number,
): Promise<DeliveryTally> {
  const tally: DeliveryTally = { delivered: 0, failed: 0, pending: 0, failures: [] };
  const open = new Set(ids);
  while (open.size > 0) {
    for (const id of [...open]) {
      const job = await ctx.queues.findDelivery(id);
      const state = job ? await job.getState() : "unknown";
      if (state === "completed") {
        tally.delivered++;
        open.delete(id);
      } else if (state === "failed") {
        tally.failed++;
        tally.failures.push({ deliveryId: id, reason: job?.failedReason ?? "failed" });
        open.delete(id);
      }
    }
    if (open.size === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const id of open) {
    const job = await ctx.queues.findDelivery(id);
    tally.pending++;
    tally.failures.push({
      deliveryId: id,
      reason: `still retrying, left queued: ${job?.failedReason ?? "not attempted yet"}`,
    });
  }
  return tally;
}

async function mapWithConcurrency<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  });
  await Promise.all(lanes);
  return results;
}
