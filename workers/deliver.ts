import type { Job } from "bullmq";
import { DeliveryError } from "../src/channels/delivery-error.ts";
import type { ChannelRegistry } from "../src/channels/registry.ts";
import { deliveryRetryDelayMs } from "../src/channels/retry-schedule.ts";
import { type SendOnceDeps, SkippedDelivery, sendOnce } from "../src/delivery/send-once.ts";
import { UnrecoverableError, Worker } from "../src/queue/commonjs.ts";
import { type DeliverJob, deliverJob } from "../src/queue/jobs.ts";
import { DELIVERY_BACKOFF } from "../src/queue/queues.ts";
import type { DeliverRole, WorkerHooks, WorkerSettings } from "../src/queue/worker-roles.ts";

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
    throw err; // retried on the delivery schedule (see the backoff strategy below)
  }
};

/**
 * BullMQ's limiter for a send rate such as `email.ratePerSecond`: at most `max` jobs per
 * `duration` ms. Below 1/s it is one message per 1000/rate ms (0.2 → one per 5 s), and above it
 * rounds down, never up: the rate is the provider's ceiling, and 2.6 sent as 3 per second
 * would exceed it.
 */
export function emailLimiter(
  ratePerSecond: number | undefined,
): { max: number; duration: number } | undefined {
  if (!ratePerSecond) return undefined;
  if (ratePerSecond < 1) return { max: 1, duration: Math.ceil(1000 / ratePerSecond) };
  return { max: Math.floor(ratePerSecond), duration: 1000 };
}

/** The delivery schedule, scaled for drills (a scale of 1 is the real schedule). */
function scaledRetryDelay(scale: number) {
  return (attemptsMade: number, retryAfterMs: number | undefined) =>
    scale === 1
      ? deliveryRetryDelayMs(attemptsMade, retryAfterMs)
      : Math.max(1, Math.round(deliveryRetryDelayMs(attemptsMade, retryAfterMs) * scale));
}

/**
 * One worker per delivery queue, one processor: a provider's send rate limits its channel's
 * queue (email) without slowing the others. Retries follow the delivery schedule, never
 * before a receiver's Retry-After.
 */
export function createDeliverWorkers(
  role: DeliverRole,
  channels: ChannelRegistry,
  settings: WorkerSettings,
  hooks: WorkerHooks,
): Worker[] {
  const deps: DeliverWorkerDeps = { ...role, channels, onDelivered: hooks.onDelivered };
  const retryDelay = hooks.retryDelayMs ?? scaledRetryDelay(settings.retryScale);
  return settings.deliveryQueues.map(({ name, ratePerSecond }) => {
    const limiter = emailLimiter(ratePerSecond);
    const worker = new Worker(name, deliverProcessor(deps), {
      connection: settings.connection,
      prefix: settings.prefix,
      ...settings.lock,
      concurrency: settings.deliverConcurrency,
      ...(limiter ? { limiter } : {}),
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string, err?: Error) =>
          type === DELIVERY_BACKOFF
            ? retryDelay(attemptsMade, err instanceof DeliveryError ? err.retryAfterMs : undefined)
            : 1000,
      },
    });
    worker.on("failed", (job, err) => {
      if (!job) return;
      const final =
        err.name === "UnrecoverableError" || job.attemptsMade >= (job.opts.attempts ?? 1);
      settings.log.warn(
        { jobId: job.id, deliveryId: job.id, attempt: job.attemptsMade, final, err: err.message },
        final ? "delivery failed for good" : "delivery failed, will retry",
      );
      hooks.onDeliveryFailed?.(job, err, final);
    });
    return worker;
  });
}
