import type { Job } from "bullmq";
import { DeliveryError } from "../src/channels/delivery-error.ts";
import { type SendOnceDeps, SkippedDelivery, sendOnce } from "../src/delivery/send-once.ts";
import { UnrecoverableError } from "../src/queue/commonjs.ts";
import { type DeliverJob, deliverJob } from "../src/queue/jobs.ts";

/** The longest a single send may take before it is abandoned and retried. */
const SEND_TIMEOUT_MS = 60_000;

export interface DeliverWorkerDeps extends SendOnceDeps {
  onDelivered?(job: DeliverJob, outcome: "sent" | "skipped"): void;
}

/** Validates the job, sends once, and maps a permanent DeliveryError to "stop retrying". */
export const deliverProcessor = (deps: DeliverWorkerDeps) => async (job: Job) => {
  const data = deliverJob.parse(job.data) as DeliverJob;
  const attempt = {
    number: job.attemptsMade + 1,
    final: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
  };
  const signal = AbortSignal.timeout(SEND_TIMEOUT_MS);
  try {
    const result = await sendOnce(data, attempt, signal, deps);
    deps.onDelivered?.(data, result instanceof SkippedDelivery ? "skipped" : "sent");
    return result instanceof SkippedDelivery ? { skipped: result.reason } : result;
  } catch (err) {
    if (err instanceof DeliveryError && err.permanent) throw new UnrecoverableError(err.message);
    throw err; // retried on the delivery schedule (see deliveryBackoff)
  }
};
