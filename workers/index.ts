import type { Worker } from "bullmq";
import type {
  RunningWorkers,
  StartWorkers,
  WorkerHooks,
  WorkerQueue,
} from "../src/queue/worker-roles.ts";
import { createDeliverWorkers } from "./deliver.ts";
import { createDigestWorker } from "./digest.ts";
import { createPollWorker } from "./poll.ts";

export { emailLimiter } from "./deliver.ts";
export type { RunningWorkers, WorkerHooks };

/**
 * Starts the BullMQ workers for the given queues from the roles the composition root built.
 * Closing waits for active jobs to finish (BullMQ's graceful close); a job cut off by a hard
 * exit is stalled and re-run by the next worker, never lost.
 */
export const startWorkers: StartWorkers = (source, queues: WorkerQueue[], hooks = {}) => {
  const roles = source.workerRoles();
  const { settings } = roles;
  const workers: Worker[] = [];
  const channels = roles.deliver.createChannels();
  if (queues.includes("poll")) workers.push(createPollWorker(roles.poll, settings, hooks));
  if (queues.includes("deliver"))
    workers.push(...createDeliverWorkers(roles.deliver, channels, settings, hooks));
  if (queues.includes("digest")) workers.push(createDigestWorker(roles.digest, settings));
  for (const worker of workers)
    worker.on("error", (err) =>
      settings.log.error({ queue: worker.name, err: err.message }, "worker error"),
    );
  return {
    workers,
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
      await channels.closeAll();
    },
  };
};
