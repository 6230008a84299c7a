import { z } from "zod";
import type { Outgoing } from "../model/outgoing.ts";

/** Poll one feed. `due` is the scheduled poll time: with the feed id it makes the job id. */
export const pollJob = z.object({ feedId: z.string().min(1), due: z.number().int().nonnegative() });
export type PollJob = z.infer<typeof pollJob>;

/**
 * Deliver one message over one channel. `deliveryId` (message id + channel) is the
 * job id and the key of the durable "delivered" record, so a re-added job never sends twice.
 */
export const deliverJob = z.object({
  deliveryId: z.string().min(1),
  subscriberId: z.string().min(1),
  channel: z.string().min(1),
  target: z.unknown(),
  message: z.looseObject({ kind: z.enum(["alert", "digest", "notice", "update"]) }),
  /** When the item behind an alert was discovered (ms since epoch), for latency metrics. */
  discoveredAt: z.number().optional(),
});
export type DeliverJob = Omit<z.infer<typeof deliverJob>, "message"> & { message: Outgoing };

/** Build and send one subscriber's digest for one period. */
export const digestJob = z.object({
  subscriberId: z.string().min(1),
  periodKey: z.string().min(1),
});
export type DigestJob = z.infer<typeof digestJob>;

/** The corroboration wait of one alert is over (on the digest queue, delayed). */
export const corroborateJob = digestJob.extend({ alertId: z.string().min(1) });
export type CorroborateJob = z.infer<typeof corroborateJob>;

/** BullMQ job ids must not contain ":" (BullMQ guide); ids here are built from safe parts. */
export function jobId(...parts: (string | number)[]): string {
  return parts.map((p) => String(p).replaceAll(":", "_")).join(".");
}
