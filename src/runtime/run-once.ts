import type { Job } from "bullmq";
import { deliveryRetryDelayMs } from "../channels/retry-schedule.ts";
import { emptyOutcome, type PollOutcome } from "../pipeline/outcome.ts";
import { refreshFeed } from "../pipeline/refresh-feed.ts";
import { holdStoredRetryAfter } from "../pipeline/retry-after-holds.ts";
import type { AppContext } from "./context.ts";
import { retryScale } from "./worker-settings.ts";

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
 * The retry schedule of a command that waits up to `waitMs` for its deliveries (run-once,
 * digest --now, retry). Each retry uses up one of the job's attempts, and the quick schedule
 * alone spends all nine in under 30 s, failing a greylisted message for good. So a retry is
 * quick only while it lands before the command stops waiting and the normal schedule would
 * also have made it within `waitMs`; after that the job waits on the normal schedule, and a
 * delivery still failing is left queued with the rest of its ~27 h schedule for the daemon.
 */
export function waitingRetryDelay(
  waitMs: number,
  now: () => number = Date.now,
): (attemptsMade: number, retryAfterMs: number | undefined) => number {
  const deadline = now() + waitMs;
  const scale = retryScale(process.env);
  // Without jitter (random 0.5): the times the normal schedule would retry at.
  const normalBase = (n: number) => deliveryRetryDelayMs(n, undefined, () => 0.5) * scale;
  return (attemptsMade, retryAfterMs) => {
    let normalElapsed = 0;
    for (let n = 1; n <= attemptsMade; n++) normalElapsed += normalBase(n);
    const quick = quickRetryDelay(attemptsMade, retryAfterMs);
    if (normalElapsed <= waitMs && now() + quick <= deadline) return quick;
    const normal = deliveryRetryDelayMs(attemptsMade, retryAfterMs);
    return scale === 1 ? normal : Math.max(1, Math.round(normal * scale));
  };
}

/**
 * Polls every enabled feed once, then waits until each delivery it queued has succeeded or
 * failed for good, or until `retryForMs` has passed; deliveries still retrying then stay
 * queued (nothing is dropped) and count as not delivered.
 *
 * A feed whose host asked for no requests yet (a 429 or 503 with Retry-After, stored from an
 * earlier poll, or met by another feed of the host during this run) is skipped unless `force`:
 * "not before then" is the publisher's word. Back-off and the normal schedule are not: the
 * command is run to poll now (cron scripts rely on it), so those feeds are polled.
 */
export async function runOnce(
  ctx: AppContext,
  opts: { retryForMs: number; feedIds?: string[]; force?: boolean },
): Promise<RunSummary> {
  await ctx.loadApiWatchlists();
  const snapshot = ctx.snapshot();
  const enabled = [...snapshot.feeds.values()].filter((f) => f.enabled);
  const feeds = enabled.filter((f) => !opts.feedIds || opts.feedIds.includes(f.id));
  const hostOf = await holdStoredRetryAfter(enabled, ctx.stores.feedStates, ctx.hostGate);
  const workers = ctx.startWorkers(["deliver", "digest"], {
    retryDelayMs: waitingRetryDelay(opts.retryForMs),
  });
  try {
    const outcomes = await mapWithConcurrency(
      feeds,
      snapshot.config.workers.pollConcurrency,
      async (feed) => {
        const heldUntil = opts.force ? null : ctx.hostGate.heldUntil(hostOf(feed));
        if (heldUntil === null) return refreshFeed(feed.id, ctx.refreshDeps());
        return {
          ...emptyOutcome(feed.id),
          status: "skipped" as const,
          note: `held by the publisher's Retry-After until ${new Date(heldUntil).toISOString()} (--force polls it anyway)`,
        };
      },
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
  const waitingForDaemon: string[] = [];
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
      } else if (job && state === "delayed" && dueNoEarlierThan(job) > deadline) {
        waitingForDaemon.push(id); // its next attempt comes after we stop waiting: no use waiting
        open.delete(id);
      }
    }
    if (open.size === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const id of [...waitingForDaemon, ...open]) {
    const job = await ctx.queues.findDelivery(id);
    tally.pending++;
    tally.failures.push({
      deliveryId: id,
      reason: `still retrying, left queued: ${job?.failedReason ?? "not attempted yet"}`,
    });
  }
  return tally;
}

/** A delayed job is due `delay` ms after its last attempt started (or after it was added). */
function dueNoEarlierThan(job: Job): number {
  return (job.processedOn ?? job.timestamp) + job.delay;
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
