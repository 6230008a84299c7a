import type { Job } from "bullmq";
import type { Subscriber } from "../src/alerts/subscriber.ts";
import { type SendDigestDeps, sendDigest } from "../src/digest/send-digest.ts";
import { corroborateJob, digestJob } from "../src/queue/jobs.ts";

export interface DigestWorkerDeps extends SendDigestDeps {
  findSubscriber(id: string): Promise<Subscriber | undefined>;
  /** Sends an alert whose corroboration wait ended without a second outlet. */
  releaseUncorroborated?(alertId: string): Promise<unknown>;
  periodLabel(subscriber: Subscriber, periodKey: string): string;
}

/** Sends one subscriber's digest (or held quiet-hours alerts) for one period. */
export const digestProcessor = (deps: DigestWorkerDeps) => async (job: Job) => {
  if (job.name === "corroborate") {
    const { alertId } = corroborateJob.parse(job.data);
    return deps.releaseUncorroborated?.(alertId);
  }
  const { subscriberId, periodKey } = digestJob.parse(job.data);
  const subscriber = await deps.findSubscriber(subscriberId);
  if (!subscriber) return { skipped: `subscriber ${subscriberId} no longer exists` };
  const bucket = periodKey.startsWith("held-") ? "held" : "digest";
  return sendDigest(subscriber, bucket, periodKey, deps.periodLabel(subscriber, periodKey), deps);
};
