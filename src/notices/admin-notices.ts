import { type AdminChannelFields, adminTargets } from "../channels/registry.ts";
import type { Notice } from "../model/outgoing.ts";
import { ADMIN_SUBSCRIBER } from "../model/subscriber.ts";
import type { FeedHealth } from "../pipeline/feed-health.ts";
import type { Enqueue } from "../queue/enqueue.ts";
import { jobId } from "../queue/jobs.ts";
import type { FeedState } from "../store/feed-state.ts";

// Every notice the administrator gets, its words and how it is queued, in one place.

type NoticeText = { subject: string; text: string };

/**
 * The notice to send when a feed's health changes, or null. Each bad state is announced
 * once, and the return to ok once; polls in between say nothing.
 */
export function healthNotice(
  feedId: string,
  previous: string | null,
  current: FeedHealth,
  state: FeedState,
): NoticeText | null {
  // A hold is the publisher being polite, nothing for a person to do: no notice, and the
  // state told before it stands (so its end is no "recovered" either).
  if (current === "pending" || current === "held" || current === previous) return null;
  if (current === "ok") {
    if (previous !== "failing" && previous !== "silent" && previous !== "disabled") return null;
    return {
      subject: `[newswatch] feed ${feedId} recovered`,
      text: `Feed ${feedId} is working again (it was ${previous}).`,
    };
  }
  if (current === "failing") {
    return {
      subject: `[newswatch] feed ${feedId} is failing`,
      text: `Feed ${feedId} failed ${state.consecutiveErrors} times in a row. Last error (${state.errorCategory ?? "unknown"}): ${state.lastError ?? "none recorded"}. Newswatch keeps retrying with back-off.`,
    };
  }
  if (current === "silent") {
    const last = state.lastNewItemAt ? new Date(state.lastNewItemAt).toISOString() : "never";
    return {
      subject: `[newswatch] feed ${feedId} went silent`,
      text: `Feed ${feedId} answers, but has published nothing new since ${last}, far longer than its usual interval. Check that the publisher has not moved or stopped it.`,
    };
  }
  return {
    subject: `[newswatch] feed ${feedId} disabled`,
    text: `Feed ${feedId} was disabled: ${state.disabled}. Remove it from the config or fix its URL.`,
  };
}

/** A feed's health changed (see healthNotice); `at` tells one change from the next. */
export function healthChangeNotice(
  feedId: string,
  health: FeedHealth,
  at: number,
  text: NoticeText,
): Notice {
  return { id: jobId("n", feedId, health, at), ...text };
}

export function feedMovedNotice(feedId: string, from: string, to: string, at: number): Notice {
  return {
    id: jobId("n", feedId, "moved", at),
    subject: `[newswatch] feed ${feedId} moved permanently`,
    text: `Feed ${feedId} answered a permanent redirect (301/308) on two polls in a row, from ${from} to ${to}. Newswatch now polls ${to}. Put that address in the config: editing the feed's url there replaces the move.`,
  };
}

export function identityChangeNotice(feedId: string, held: number, at: number): Notice {
  return {
    id: jobId("n", feedId, "identity", at),
    subject: `[newswatch] feed ${feedId}: ${held} items held back`,
    text: `Feed ${feedId} suddenly presented ${held} known-looking items under new identities (a changed guid or URL scheme). They were recorded without alerting, to spare subscribers a flood of stale alerts.`,
  };
}

/** Sent to the admin when one fetch of a feed brought far more new items than any recent day. */
export function burstNotice(feedId: string, held: number, at: number): Notice {
  return {
    id: jobId("n", feedId, "burst", at),
    subject: `[newswatch] feed ${feedId}: ${held} new items held back`,
    text: `Feed ${feedId} brought ${held} new items in one fetch, far more than it published on any day of the last month. They were recorded without alerting, to spare subscribers a flood; check the feed. Later bursts of this feed in the next 24 hours are held the same way without another notice.`,
  };
}

/** Sent to the subscriber (by email) and the admin when a channel was turned off. */
export function channelDisabledNotice(
  subscriberId: string,
  channel: string,
  reason: string,
  at: number,
) {
  return {
    // One id per event, not per channel: after a reactivation the next disable is news again,
    // and an id already delivered would be skipped as sent.
    id: jobId("n", subscriberId, "disabled", channel, at),
    subject: `[newswatch] your ${channel} endpoint was turned off`,
    text: `Deliveries to your ${channel} endpoint for subscriber ${subscriberId} stopped: ${reason}. Update the endpoint and ask an administrator to re-enable it (newswatch subscribers --reactivate ${subscriberId}); deliveries that failed can then be sent again with newswatch retry --all-failed.`,
  };
}

/** Queues one notice to every admin recipient (each channel's `admin.<kind>` setting). */
export async function queueAdminNotice(
  config: { admin: Partial<AdminChannelFields> },
  notice: Notice,
  enqueue: Pick<Enqueue, "deliveries">,
): Promise<void> {
  await enqueue.deliveries(
    adminTargets(config.admin).map(({ channel, target, key }) => ({
      subscriberId: ADMIN_SUBSCRIBER,
      channel,
      target,
      recipientKey: key,
      message: { kind: "notice", notice },
    })),
  );
}

export interface ChannelDisabledDeps {
  config(): { admin: Partial<AdminChannelFields> };
  /** The subscriber's email address, when they have one. */
  emailOf(subscriberId: string): Promise<string | undefined>;
  enqueue: Pick<Enqueue, "deliveries">;
}

/**
 * A channel of a subscriber was turned off (a 410, a bounce, a webhook failing for its whole
 * schedule): tell them by email, when they have an address and it was not the email that
 * went, and tell the admin, once per time it happens.
 */
export async function notifyChannelDisabled(
  deps: ChannelDisabledDeps,
  subscriberId: string,
  channel: string,
  reason: string,
): Promise<void> {
  const notice = channelDisabledNotice(subscriberId, channel, reason, Date.now());
  const address = await deps.emailOf(subscriberId);
  if (address && channel !== "email") {
    await deps.enqueue.deliveries([
      {
        subscriberId,
        channel: "email",
        target: { address },
        message: { kind: "notice", notice },
      },
    ]);
  }
  await queueAdminNotice(deps.config(), notice, deps.enqueue);
}
