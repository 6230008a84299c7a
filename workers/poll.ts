import type { Job } from "bullmq";
import { HOLD_SLOT_MAX_MS, hostWaitMs } from "../src/pipeline/host-wait.ts";
import { recoverFailedPoll, runPollJob } from "../src/pipeline/poll-job.ts";
import { DelayedError, Worker } from "../src/queue/commonjs.ts";
import { pollJob } from "../src/queue/jobs.ts";
import { QUEUE } from "../src/queue/names.ts";
import type { PollRole, WorkerHooks, WorkerSettings } from "../src/queue/worker-roles.ts";

/** Polls one feed; a feed whose host is busy gives its slot to a feed on another host. */
export const pollProcessor =
  (role: PollRole, hooks: WorkerHooks) => async (job: Job, token?: string) => {
    const { feedId, due } = pollJob.parse(job.data);
    const wait = hostWaitMs(feedId, role.refresh);
    if (wait > HOLD_SLOT_MAX_MS && token) {
      await job.moveToDelayed(Date.now() + wait, token);
      throw new DelayedError();
    }
    // The job's creation time tells this job apart from a copy re-added under the same id.
    const owner = `${job.id ?? ""}@${job.timestamp}`;
    const outcome = await runPollJob({ feedId, due, owner }, role);
    if (outcome === "already-polled")
      return { feedId, status: "skipped", note: "already polled for this due time" };
    hooks.onPoll?.(outcome);
    return outcome;
  };

/** The "failed" event: the poll is recorded as failed so the feed is polled again (see recoverFailedPoll). */
export const pollJobFailed =
  (role: PollRole) =>
  async (job: Job | undefined, err: Error): Promise<void> => {
    const parsed = pollJob.safeParse(job?.data);
    if (!parsed.success) return;
    const { feedId, due } = parsed.data;
    const log = role.refresh.log.child({ feedId, jobId: job?.id });
    log.error({ err: err.message }, "poll job failed: the feed is polled again after its back-off");
    try {
      await recoverFailedPoll(feedId, due, err, role);
    } catch (recordErr) {
      log.error(
        { err: (recordErr as Error).message },
        "could not record the failed poll: the feed is not polled again until its failed job is removed",
      );
    }
  };

/**
 * The poll queue's worker. Polls are not retried by the queue (the next scheduled poll is the
 * retry, with the feed's own back-off), so a failure is recorded, not rescheduled here.
 */
export function createPollWorker(
  role: PollRole,
  settings: WorkerSettings,
  hooks: WorkerHooks,
): Worker {
  const worker = new Worker(QUEUE.poll, pollProcessor(role, hooks), {
    connection: settings.connection,
    prefix: settings.prefix,
    ...settings.lock,
    concurrency: settings.pollConcurrency,
    autorun: false,
  });
  worker.on("failed", pollJobFailed(role));
  // The host gate is process memory: seed it with the Retry-After holds publishers asked for
  // before this process started, then take jobs.
  void role
    .seedHostGate()
    .catch((err: Error) =>
      settings.log.warn({ err: err.message }, "stored Retry-After holds not read"),
    )
    .then(() => worker.run())
    .catch((err: Error) => settings.log.error({ err: err.message }, "poll worker stopped"));
  return worker;
}
