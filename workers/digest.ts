import type { Job } from "bullmq";
import { sendDigest } from "../src/digest/send-digest.ts";
import { Worker } from "../src/queue/commonjs.ts";
import { corroborateJob, digestJob } from "../src/queue/jobs.ts";
import { QUEUE } from "../src/queue/names.ts";
import type { DigestRole, WorkerSettings } from "../src/queue/worker-roles.ts";

/**
 * Sends one subscriber's digest (or held quiet-hours alerts) for one period; a "corroborate"
 * job (same queue, delayed) ends one alert's wait for a second outlet.
 */
export const digestProcessor = (role: DigestRole) => async (job: Job) => {
  if (job.name === "corroborate") {
    const { alertId } = corroborateJob.parse(job.data);
    return role.releaseUncorroborated?.(alertId);
  }
  const { subscriberId, periodKey } = digestJob.parse(job.data);
  const subscriber = await role.findSubscriber(subscriberId);
  if (!subscriber) return { skipped: `subscriber ${subscriberId} no longer exists` };
  const bucket = periodKey.startsWith("held-") ? "held" : "digest";
  return sendDigest(subscriber, bucket, periodKey, role.periodLabel(subscriber, periodKey), role);
};

/** The digest queue's worker; its jobs retry on the queue's exponential backoff. */
export function createDigestWorker(role: DigestRole, settings: WorkerSettings): Worker {
  return new Worker(QUEUE.digest, digestProcessor(role), {
    connection: settings.connection,
    prefix: settings.prefix,
    ...settings.lock,
    concurrency: 2,
  });
}
