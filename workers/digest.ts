import type { Job } from "bullmq";
import { type SendDigestDeps, sendDigest } from "../src/digest/send-digest.ts";
import type { Subscriber } from "../src/model/subscriber.ts";
import { digestJob } from "../src/queue/jobs.ts";

export interface DigestWorkerDeps extends SendDigestDeps {
  findSubscriber(id: string): Promise<Subscriber | undefined>;
  periodLabel(subscriber: Subscriber, periodKey: string): string;
}

/** Sends one subscriber's digest (or held quiet-hours alerts) for one period. */
export const digestProcessor = (deps: DigestWorkerDeps) => async (job: Job) => {
  const { subscriberId, periodKey } = digestJob.parse(job.data);
  const subscriber = await deps.findSubscriber(subscriberId);
  if (!subscriber) return { skipped: `subscriber ${subscriberId} no longer exists` };
  const bucket = periodKey.startsWith("held-") ? "held" : "digest";
  return sendDigest(subscriber, bucket, periodKey, deps.periodLabel(subscriber, periodKey), deps);
};
