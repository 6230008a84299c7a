import type { Job } from "bullmq";
import { notifyHealthChange } from "../src/pipeline/health-notices.ts";
import { HOLD_SLOT_MAX_MS, hostWaitMs } from "../src/pipeline/host-wait.ts";
import type { PollOutcome } from "../src/pipeline/outcome.ts";
import { recordFailure } from "../src/pipeline/record-poll.ts";
import { type RefreshDeps, refreshFeed } from "../src/pipeline/refresh-feed.ts";
import { DelayedError } from "../src/queue/commonjs.ts";
import type { RedisClient } from "../src/queue/connection.ts";
import { pollJob } from "../src/queue/jobs.ts";
import type { Keys } from "../src/queue/names.ts";

export interface PollWorkerDeps {
  redis: RedisClient;
  keys: Keys;
  refresh: RefreshDeps;
  onOutcome?(outcome: PollOutcome): void;
}

/**
 * Polls one feed. The claim makes "one poll per (feed, due time)" hold even when a second
 * scheduler re-adds a job after the first copy was removed from the queue; the job that
 * holds the claim may run again after a crash.
 */
export const pollProcessor = (deps: PollWorkerDeps) => async (job: Job, token?: string) => {
  const { feedId, due } = pollJob.parse(job.data);
  const wait = hostWaitMs(feedId, deps.refresh);
  if (wait > HOLD_SLOT_MAX_MS && token) {
    // The host is busy: give this slot to a feed on another host and come back later.
    await job.moveToDelayed(Date.now() + wait, token);
    throw new DelayedError();
  }
  const key = deps.keys.pollClaim(feedId, due);
  // The job's creation time tells this job apart from a copy re-added under the same id.
  const owner = `${job.id ?? ""}@${job.timestamp}`;
  const claimed = await deps.redis.set(key, owner, "EX", 86_400, "NX");
  // The same job run again (its worker died mid-poll and BullMQ handed it on) must finish
  // the poll: items are marked seen only after their alerts are queued, so nothing is lost.
  if (claimed === null && (await deps.redis.get(key)) !== owner)
    return { feedId, status: "skipped", note: "already polled for this due time" };
  const outcome = await refreshFeed(feedId, deps.refresh);
  deps.onOutcome?.(outcome);
  return outcome;
};

/**
 * For the poll worker's "failed" event: the job threw (a Redis error, a bug) or BullMQ failed
 * it after it stalled. Such a poll recorded nothing, so nextPollAt still names this job's due
 * time, and BullMQ keeps the failed job id (feed, due) for a week, ignoring the scheduler's
 * re-adds: the feed would go unpolled. Recording the failure moves nextPollAt on with the
 * feed's back-off, so a later tick queues a fresh job, and shows the error on the Sources page.
 */
export const pollJobFailed =
  (deps: PollWorkerDeps) =>
  async (job: Job | undefined, err: Error): Promise<void> => {
    const parsed = pollJob.safeParse(job?.data);
    if (!parsed.success) return;
    const { feedId, due } = parsed.data;
    const { refresh } = deps;
    const log = refresh.log.child({ feedId, jobId: job?.id });
    log.error({ err: err.message }, "poll job failed: the feed is polled again after its back-off");
    try {
      const snapshot = refresh.snapshot();
      const feed = snapshot.feeds.get(feedId);
      const state = await refresh.feedStates.get(feedId);
      // A next poll past this job's due time means the poll recorded its outcome before failing.
      if (!feed || (state.nextPollAt !== null && state.nextPollAt > due)) return;
      await recordFailure(feedId, feed, state, err, refresh);
      await notifyHealthChange(feedId, snapshot.config, refresh);
    } catch (recordErr) {
      log.error(
        { err: (recordErr as Error).message },
        "could not record the failed poll: the feed is not polled again until its failed job is removed",
      );
    }
  };
