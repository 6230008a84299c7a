import type { RedisClient } from "../queue/connection.ts";
import type { Keys } from "../store/keys.ts";
import { notifyHealthChange } from "./health-notices.ts";
import type { PollOutcome } from "./outcome.ts";
import { recordFailure } from "./record-poll.ts";
import { type RefreshDeps, refreshFeed } from "./refresh-feed.ts";

/** What running one poll job needs: the poll's own dependencies and the claim's store. */
export interface PollJobDeps {
  redis: RedisClient;
  keys: Keys;
  refresh: RefreshDeps;
}

/** One queued poll: the feed, its due time, and who the job is (for the claim). */
export interface PollJobRun {
  feedId: string;
  due: number;
  /** Tells this job apart from a copy re-added under the same id: job id and creation time. */
  owner: string;
}

const CLAIM_TTL_S = 86_400;

/**
 * Polls one feed once per (feed, due time). The claim makes that hold even when a second
 * scheduler re-adds a job after the first copy was removed from the queue; the job that
 * holds the claim may run again after a crash and must then finish the poll: items are
 * marked seen only after their alerts are queued, so nothing is lost.
 */
export async function runPollJob(
  run: PollJobRun,
  deps: PollJobDeps,
): Promise<PollOutcome | "already-polled"> {
  const key = deps.keys.pollClaim(run.feedId, run.due);
  const claimed = await deps.redis.set(key, run.owner, "EX", CLAIM_TTL_S, "NX");
  if (claimed === null && (await deps.redis.get(key)) !== run.owner) return "already-polled";
  return refreshFeed(run.feedId, deps.refresh);
}

/**
 * Crash recovery for a poll job that threw (a Redis error, a bug) or that BullMQ failed after
 * it stalled. Such a poll recorded nothing, so nextPollAt still names this job's due time, and
 * BullMQ keeps the failed job id (feed, due) for a week, ignoring the scheduler's re-adds: the
 * feed would go unpolled. Recording the failure moves nextPollAt on with the feed's back-off,
 * so a later tick queues a fresh job, and shows the error on the Sources page.
 */
export async function recoverFailedPoll(
  feedId: string,
  due: number,
  err: Error,
  deps: PollJobDeps,
): Promise<void> {
  const { refresh } = deps;
  const snapshot = refresh.snapshot();
  const feed = snapshot.feeds.get(feedId);
  const state = await refresh.feedStates.get(feedId);
  // A next poll past this job's due time means the poll recorded its outcome before failing.
  if (!feed || (state.nextPollAt !== null && state.nextPollAt > due)) return;
  await recordFailure(feedId, feed, state, err, refresh);
  await notifyHealthChange(feedId, snapshot.config, refresh);
}
