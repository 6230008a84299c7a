import type { Job, JobsOptions } from "bullmq";
import { queueOfChannel } from "../channels/registry.ts";
import { DELIVERY_MAX_ATTEMPTS } from "../channels/retry-schedule.ts";
import { keyPrefix } from "../store/keys.ts";
import { Queue } from "./commonjs.ts";
import type { RedisClient } from "./connection.ts";
import { QUEUE } from "./names.ts";

/** BullMQ's backoff type name for the delivery schedule (see deliveryBackoff in workers/). */
export const DELIVERY_BACKOFF = "delivery";

const DAY_S = 86_400;

/**
 * Delivery jobs retry on the Standard Webhooks schedule for about a day; completed ones are
 * kept a day (their ids keep refusing duplicates), failed ones 30 days for inspection and
 * `newswatch retry`.
 */
export const DELIVER_JOB_OPTIONS: JobsOptions = {
  attempts: DELIVERY_MAX_ATTEMPTS,
  backoff: { type: DELIVERY_BACKOFF },
  removeOnComplete: { age: DAY_S, count: 50_000 },
  removeOnFail: { age: 30 * DAY_S },
};

/**
 * A poll is not retried by the queue: the next scheduled poll is the retry, with the
 * feed's own back-off. Completed poll jobs stay an hour so a second scheduler's copy of the
 * same (feed, due time) job id is refused.
 */
export const POLL_JOB_OPTIONS: JobsOptions = {
  attempts: 1,
  removeOnComplete: { age: 3600 },
  removeOnFail: { age: 7 * DAY_S },
};

export const DIGEST_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: "exponential", delay: 30_000 },
  removeOnComplete: { age: 7 * DAY_S },
  removeOnFail: { age: 30 * DAY_S },
};

export interface Queues {
  poll: Queue;
  /** Webhook (and any non-email channel) deliveries. */
  deliver: Queue;
  /** Email deliveries, rate-limited by email.ratePerSecond. */
  email: Queue;
  digest: Queue;
  /** The queue a channel's deliveries go through. */
  forChannel(channel: string): Queue;
  /** Finds a delivery job by id in whichever delivery queue holds it. */
  findDelivery(deliveryId: string): Promise<Job | undefined>;
  close(): Promise<void>;
}

export function createQueues(connection: RedisClient, prefix: string): Queues {
  const opts = (defaultJobOptions: JobsOptions) => ({
    connection,
    prefix: keyPrefix(prefix),
    defaultJobOptions,
  });
  const poll = new Queue(QUEUE.poll, opts(POLL_JOB_OPTIONS));
  const deliver = new Queue(QUEUE.deliver, opts(DELIVER_JOB_OPTIONS));
  const email = new Queue(QUEUE.email, opts(DELIVER_JOB_OPTIONS));
  const digest = new Queue(QUEUE.digest, opts(DIGEST_JOB_OPTIONS));
  return {
    poll,
    deliver,
    email,
    digest,
    forChannel: (channel) => (queueOfChannel(channel) === "email" ? email : deliver),
    findDelivery: async (id) => (await email.getJob(id)) ?? (await deliver.getJob(id)),
    close: async () => {
      await Promise.all([poll.close(), deliver.close(), email.close(), digest.close()]);
    },
  };
}
