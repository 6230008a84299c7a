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
 * scheduler re-adds a job after the first copy was removed from the queue.
 */
export const pollProcessor = (deps: PollWorkerDeps) => async (job: Job) => {
  const { feedId, due } = pollJob.parse(job.data);
  const claimed = await deps.redis.set(
    deps.keys.pollClaim(feedId, due),
    job.id ?? "",
    "EX",
    86_400,
    "NX",
  );
  if (claimed === null)
    return { feedId, status: "skipped", note: "already polled for this due time" };
  const outcome = await refreshFeed(feedId, deps.refresh);
  deps.onOutcome?.(outcome);
  return outcome;
};
