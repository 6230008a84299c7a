import type { Job } from "bullmq";
import type { Redis } from "ioredis";
import type { PollOutcome } from "../src/pipeline/outcome.ts";
import { type RefreshDeps, refreshFeed } from "../src/pipeline/refresh-feed.ts";
import { pollJob } from "../src/queue/jobs.ts";
import type { Keys } from "../src/queue/names.ts";

export interface PollWorkerDeps {
  redis: Redis;
  keys: Keys;
  refresh: RefreshDeps;
  onOutcome?(outcome: PollOutcome): void;
}

/**
 * Polls one feed. The claim makes "one poll per (feed, due time)" hold even when a second
 * scheduler re-adds a job after the first copy was removed from the queue; the job that
 * holds the claim may run again after a crash.
 */
export const pollProcessor = (deps: PollWorkerDeps) => async (job: Job) => {
  const { feedId, due } = pollJob.parse(job.data);
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
