import { ADMIN_SUBSCRIBER } from "../alerts/subscriber.ts";
import type { DeliveryReceipt, Outgoing, SendContext } from "../channels/channel.ts";
import { messageId as messageIdOfMessage } from "../channels/channel.ts";
import { DeliveryError } from "../channels/delivery-error.ts";
import type { Logger } from "../log.ts";
import type { DeliverJob } from "../queue/jobs.ts";
import type { DeliveryStore } from "../store/deliveries.ts";
import { channelBlocked, type SubscriberStatusStore } from "../store/subscriber-status.ts";
import type { LinkBuilder } from "../subscriptions/tokens.ts";

/** What delivery needs to know about channels: look one up by kind. */
export interface ChannelLookup {
  get(kind: string): {
    send(message: Outgoing, target: never, ctx: SendContext): Promise<DeliveryReceipt>;
  };
}

export interface SendOnceDeps {
  channels: ChannelLookup;
  deliveries: DeliveryStore;
  statuses: SubscriberStatusStore;
  links: LinkBuilder;
  /** The subscriber's timezone, for times shown in messages. */
  timezoneOf(subscriberId: string): Promise<string | undefined>;
  log: Logger;
  /** Tells a subscriber (and the admin) that one of their channels was turned off. */
  notifyChannelDisabled?(subscriberId: string, channel: string, reason: string): Promise<void>;
}

/** Why a delivery was not attempted at all (the subscriber left or the channel is off). */
export class SkippedDelivery {
  constructor(readonly reason: string) {}
}

/**
 * Sends one message once. The delivered record is checked first and written right after
 * the channel accepts, so a job re-added or re-run after a crash does not send again
 * (the window between the two is what at-least-once leaves; receivers get the same
 * `webhook-id` / Message-ID to close it). Every attempt goes to the audit trail.
 */
export async function sendOnce(
  job: DeliverJob,
  attempt: { number: number; final: boolean },
  signal: AbortSignal,
  deps: SendOnceDeps,
): Promise<DeliveryReceipt | SkippedDelivery> {
  const messageId = messageIdOfMessage(job.message);
  const audit = (outcome: "sent" | "retrying" | "failed" | "skipped", detail: string) =>
    deps.deliveries.recordAttempt({
      deliveryId: job.deliveryId,
      messageId,
      subscriberId: job.subscriberId,
      channel: job.channel,
      at: new Date().toISOString(),
      attempt: attempt.number,
      outcome,
      detail,
    });

  // The lookups are independent: issued together they cost one round trip to Redis, not four.
  const [prior, skip, timezone] = await Promise.all([
    deps.deliveries.receiptOf(job.deliveryId),
    skipReason(job, deps),
    deps.timezoneOf(job.subscriberId),
  ]);
  if (prior) return prior;
  if (skip) {
    await audit("skipped", skip);
    return new SkippedDelivery(skip);
  }
  const ctx: SendContext = {
    signal,
    timezone,
    ...(job.message.kind === "notice" && job.subscriberId === ADMIN_SUBSCRIBER
      ? {}
      : {
          unsubscribeUrl: deps.links.unsubscribe(job.subscriberId),
          manageUrl: deps.links.manage(job.subscriberId),
        }),
  };
  try {
    const receipt = await deps.channels
      .get(job.channel)
      .send(job.message, job.target as never, ctx);
    await Promise.all([
      deps.deliveries.recordDelivered(job.deliveryId, receipt),
      audit("sent", receipt.detail),
    ]);
    return receipt;
  } catch (err) {
    const permanent = err instanceof DeliveryError && err.permanent;
    await audit(permanent || attempt.final ? "failed" : "retrying", (err as Error).message);
    if (err instanceof DeliveryError && err.targetAction) await applyTargetAction(err, job, deps);
    throw err;
  }
}

async function skipReason(job: DeliverJob, deps: SendOnceDeps): Promise<string | null> {
  if (job.message.kind === "notice") return null; // confirmations and admin notices go regardless
  return channelBlocked(await deps.statuses.get(job.subscriberId), job.channel);
}

async function applyTargetAction(
  err: DeliveryError,
  job: DeliverJob,
  deps: SendOnceDeps,
): Promise<void> {
  if (err.targetAction === "suppress") {
    // Reported once, when the status changes: the admin hears which address bounced and why.
    // "suppressed" stops the email channel only (see channelBlocked).
    if (await deps.statuses.set(job.subscriberId, "suppressed", err.message)) {
      await deps.notifyChannelDisabled?.(
        job.subscriberId,
        job.channel,
        `address suppressed: ${err.message}`,
      );
    }
    deps.log.warn(
      { subscriberId: job.subscriberId, err: err.message },
      "address suppressed after a permanent rejection",
    );
  } else if (err.targetAction === "disable") {
    if (await deps.statuses.disableChannel(job.subscriberId, job.channel, err.message)) {
      await deps.notifyChannelDisabled?.(job.subscriberId, job.channel, err.message);
      deps.log.warn(
        { subscriberId: job.subscriberId, channel: job.channel },
        "endpoint disabled: it answered 410 Gone",
      );
    }
  }
}
