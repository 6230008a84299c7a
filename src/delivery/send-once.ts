import { channelBlocked } from "../alerts/reachability.ts";
import type { DeliveryReceipt, SendContext } from "../channels/channel.ts";
import { DeliveryError } from "../channels/delivery-error.ts";
import type { Logger } from "../log.ts";
import type { Outgoing } from "../model/outgoing.ts";
import { messageId as messageIdOfMessage } from "../model/outgoing.ts";
import { ADMIN_SUBSCRIBER } from "../model/subscriber.ts";
import type { DeliverJob } from "../queue/jobs.ts";
import type { DeliveryAttempt, DeliveryStore } from "../store/deliveries.ts";
import type { FeedbackStore } from "../store/feedback.ts";
import type { SubscriberStatusStore } from "../store/subscriber-status.ts";
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
  /** Keeps what an alert was about, so its feedback links can record a vote on it. */
  feedback?: Pick<FeedbackStore, "rememberAlert">;
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
  const attemptRecord = (outcome: DeliveryAttempt["outcome"], detail: string): DeliveryAttempt => ({
    deliveryId: job.deliveryId,
    messageId,
    subscriberId: job.subscriberId,
    channel: job.channel,
    at: new Date().toISOString(),
    attempt: attempt.number,
    outcome,
    detail,
  });
  const audit = (outcome: DeliveryAttempt["outcome"], detail: string) =>
    deps.deliveries.recordAttempt(attemptRecord(outcome, detail));

  // The lookups are independent: issued together they cost one round trip to Redis, not four.
  const [prior, skip, timezone] = await Promise.all([
    deps.deliveries.receiptOf(job.deliveryId),
    skipReason(job, deps),
    deps.timezoneOf(job.subscriberId),
    // Written before the send, not after: a reader may press "Useful" the moment the message
    // lands. Issued with the lookups, it costs no round trip of its own (a skipped or repeated
    // delivery rewrites the same record, which expires on its own).
    job.message.kind === "alert" ? deps.feedback?.rememberAlert(job.message.alert) : undefined,
  ]);
  if (prior) return prior;
  if (skip) {
    if (skip.targetOff && attempt.number > 1) {
      // It was failing when its channel was turned off (by its own failures or another
      // delivery's to the same endpoint): a failed delivery, kept for `newswatch retry` once
      // the target is fixed and reactivated, not one that was never due.
      await audit("failed", skip.reason);
      throw new DeliveryError(`not retried: ${skip.reason}`, { permanent: true });
    }
    await audit("skipped", skip.reason);
    return new SkippedDelivery(skip.reason);
  }
  const ctx: SendContext = {
    signal,
    deliveryId: job.deliveryId,
    timezone,
    ...(job.message.kind === "notice" && job.subscriberId === ADMIN_SUBSCRIBER
      ? {}
      : {
          unsubscribeUrl: deps.links.unsubscribe(job.subscriberId),
          manageUrl: deps.links.manage(job.subscriberId),
        }),
    ...feedbackLinks(job, deps),
  };
  try {
    const receipt = await deps.channels
      .get(job.channel)
      .send(job.message, job.target as never, ctx);
    await deps.deliveries.recordDelivered(receipt, attemptRecord("sent", receipt.detail));
    return receipt;
  } catch (err) {
    const permanent = err instanceof DeliveryError && err.permanent;
    await audit(permanent || attempt.final ? "failed" : "retrying", (err as Error).message);
    const action = err instanceof DeliveryError ? targetActionOf(err, job, attempt.final) : null;
    if (action) await applyTargetAction(action, err as DeliveryError, job, deps);
    throw err;
  }
}

function feedbackLinks(job: DeliverJob, deps: SendOnceDeps): Pick<SendContext, "feedbackUrls"> {
  if (job.message.kind !== "alert" || !deps.feedback) return {};
  const { alert } = job.message;
  return { feedbackUrls: deps.links.feedbackPair(alert.id, alert.watchlist.id, job.subscriberId) };
}

/** Why not to send, and whether it is the target that was turned off (not the subscriber). */
async function skipReason(
  job: DeliverJob,
  deps: SendOnceDeps,
): Promise<{ reason: string; targetOff: boolean } | null> {
  if (job.message.kind === "notice") return null; // confirmations and admin notices go regardless
  const record = await deps.statuses.get(job.subscriberId);
  const reason = channelBlocked(record, job.channel);
  if (reason === null) return null;
  const left = record.status !== "active" && record.status !== "suppressed";
  return { reason, targetOff: !left };
}

/**
 * What a failure does to the target: the error's own action (a 410, a bounce), or, on the
 * last attempt of the schedule, what the channel says exhaustion means. The admin's own
 * notice channels are never switched off by it: they are how the admin hears of the rest.
 */
function targetActionOf(
  err: DeliveryError,
  job: DeliverJob,
  final: boolean,
): { kind: "disable" | "suppress"; reason: string } | null {
  if (err.targetAction) return { kind: err.targetAction, reason: err.message };
  if (!final || err.permanent || !err.whenExhausted || job.subscriberId === ADMIN_SUBSCRIBER)
    return null;
  return {
    kind: err.whenExhausted,
    reason: `failed for its whole retry schedule: ${err.message.replace(/, will retry$/, "")}`,
  };
}

async function applyTargetAction(
  action: { kind: "disable" | "suppress"; reason: string },
  err: DeliveryError,
  job: DeliverJob,
  deps: SendOnceDeps,
): Promise<void> {
  if (action.kind === "suppress") {
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
  } else if (action.kind === "disable") {
    if (await deps.statuses.disableChannel(job.subscriberId, job.channel, action.reason)) {
      await deps.notifyChannelDisabled?.(job.subscriberId, job.channel, action.reason);
      deps.log.warn(
        { subscriberId: job.subscriberId, channel: job.channel, reason: action.reason },
        "endpoint disabled",
      );
    }
  }
}
