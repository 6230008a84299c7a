import type { Outgoing } from "../model/outgoing.ts";
import { messageId } from "../model/outgoing.ts";
import {
  type CorroborateJob,
  type DeliverJob,
  type DigestJob,
  jobId,
  type PollJob,
} from "./jobs.ts";
import type { Queues } from "./queues.ts";

/** One message for one target on one channel. */
export interface DeliveryRequest {
  subscriberId: string;
  channel: string;
  target: unknown;
  message: Outgoing;
  /** Tells apart two targets of one message on one channel (two admin addresses). */
  recipientKey?: string;
  /** When the item behind an alert was discovered (ms since epoch), for latency metrics. */
  discoveredAt?: number;
}

/**
 * The delivery job id for one message on one channel (and recipient), also the key of its
 * delivered record: the same message queued twice, by a re-run poll or a second scheduler, is
 * one job.
 */
export function deliveryId(message: string, channel: string, recipientKey?: string): string {
  return recipientKey === undefined
    ? jobId(message, channel)
    : jobId(message, channel, recipientKey);
}

/** The one way jobs get into newswatch's queues. */
export interface Enqueue {
  /** Queues each delivery on its channel's queue under its delivery id; returns the ids. */
  deliveries(requests: readonly DeliveryRequest[]): Promise<string[]>;
  /** A digest (or quiet-hours flush) for one subscriber and period, once per period. */
  digest(job: DigestJob, opts?: { delay?: number }): Promise<void>;
  /**
   * The end of one alert's corroboration wait, on the digest queue after `delay` ms; once
   * per alert, so a second report during the wait does not restart the timer.
   */
  corroborate(job: CorroborateJob, delay: number): Promise<void>;
  /** A poll of one feed for one due time, once per (feed, due time). */
  poll(job: PollJob): Promise<void>;
}

export function createEnqueue(queues: Pick<Queues, "poll" | "digest" | "forChannel">): Enqueue {
  return {
    async deliveries(requests) {
      const ids: string[] = [];
      for (const request of requests) {
        const id = deliveryId(messageId(request.message), request.channel, request.recipientKey);
        const job: DeliverJob = {
          deliveryId: id,
          subscriberId: request.subscriberId,
          channel: request.channel,
          target: request.target,
          message: request.message,
          ...(request.discoveredAt !== undefined ? { discoveredAt: request.discoveredAt } : {}),
        };
        await queues.forChannel(request.channel).add(request.message.kind, job, { jobId: id });
        ids.push(id);
      }
      return ids;
    },
    async digest(job, opts = {}) {
      // A held-alerts flush and a scheduled digest are told apart by their period key.
      const name = job.periodKey.startsWith("held-") ? "held" : "digest";
      await queues.digest.add(name, job, {
        jobId: jobId("digest", job.subscriberId, job.periodKey),
        ...(opts.delay !== undefined ? { delay: opts.delay } : {}),
      });
    },
    async corroborate(job, delay) {
      await queues.digest.add("corroborate", job, {
        jobId: jobId("corroborate", job.alertId),
        delay,
      });
    },
    async poll(job) {
      await queues.poll.add("poll", job, { jobId: jobId("poll", job.feedId, job.due) });
    },
  };
}
