import type { Notice } from "../model/outgoing.ts";
import type { Subscriber } from "../model/subscriber.ts";
import type { Enqueue } from "../queue/enqueue.ts";
import type { SubscriberStatusStore } from "../store/subscriber-status.ts";
import { DuplicateSubscription, type SubscriptionStore } from "./store.ts";
import type { LinkBuilder } from "./tokens.ts";
import type { ValidSubscription } from "./validate.ts";

export interface SubscribeDeps {
  store: SubscriptionStore;
  statuses: SubscriberStatusStore;
  enqueue: Pick<Enqueue, "deliveries">;
  links: LinkBuilder;
  now?: () => number;
}

/** What happened, for logs and tests only: callers answer every outcome the same way. */
export type SubscribeOutcome =
  | "created"
  | "confirmation-resent"
  | "already-subscribed-notified"
  | "suppressed-nothing-sent";

/**
 * Double opt-in. A new address gets an unconfirmed subscription and a confirmation email,
 * nothing else. A repeated sign-up must not reveal whether the address was known, so the
 * caller's answer never changes; the owner of the address is the only one told: an
 * unconfirmed or unsubscribed one gets a fresh confirmation (with the new choices), an
 * active one a note with its manage link and no change. At most one such message per
 * address per hour: the job id carries the hour, so a script cannot mail-bomb an address.
 */
export async function subscribe(
  input: ValidSubscription,
  deps: SubscribeDeps,
): Promise<{ subscriberId: string; outcome: SubscribeOutcome }> {
  try {
    const sub = await deps.store.create(input);
    await queueNotice(sub, confirmationNotice(sub, deps), deps);
    return { subscriberId: sub.id, outcome: "created" };
  } catch (err) {
    if (!(err instanceof DuplicateSubscription)) throw err;
    const existing = await deps.store.get(err.existingId);
    if (!existing) throw err;
    const { status } = await deps.statuses.get(existing.id);
    if (status === "unconfirmed" || status === "unsubscribed") {
      const { email: _email, ...policy } = input;
      const updated = (await deps.store.update(existing.id, policy)) ?? existing;
      await deps.statuses.set(
        existing.id,
        "unconfirmed",
        "signed up again; waiting for the confirmation link",
      );
      await queueNotice(updated, confirmationNotice(updated, deps), deps);
      return { subscriberId: existing.id, outcome: "confirmation-resent" };
    }
    if (status === "suppressed")
      return { subscriberId: existing.id, outcome: "suppressed-nothing-sent" };
    await queueNotice(existing, alreadySubscribedNotice(existing, deps), deps);
    return { subscriberId: existing.id, outcome: "already-subscribed-notified" };
  }
}

/** Turns an unconfirmed subscription active; false when there was nothing to confirm. */
export async function confirmSubscription(
  subscriberId: string,
  deps: Pick<SubscribeDeps, "store" | "statuses">,
): Promise<boolean> {
  if (!(await deps.store.get(subscriberId))) return false;
  const { status } = await deps.statuses.get(subscriberId);
  if (status !== "unconfirmed") return false;
  return deps.statuses.set(
    subscriberId,
    "active",
    "confirmed by the link in the confirmation email",
  );
}

function hourOf(deps: SubscribeDeps): number {
  return Math.floor((deps.now?.() ?? Date.now()) / 3_600_000);
}

function confirmationNotice(sub: Subscriber, deps: SubscribeDeps): Notice {
  return {
    id: `confirm-${sub.id}-${hourOf(deps)}`,
    subject: "Confirm your newswatch subscription",
    text: [
      "Someone (hopefully you) asked to receive newswatch alerts at this address.",
      "Nothing will be sent until you confirm. If it was not you, ignore this message.",
    ].join("\n\n"),
    action: { label: "Confirm subscription", url: deps.links.confirm(sub.id) },
  };
}

function alreadySubscribedNotice(sub: Subscriber, deps: SubscribeDeps): Notice {
  return {
    id: `already-${sub.id}-${hourOf(deps)}`,
    subject: "You are already subscribed to newswatch",
    text: [
      "Someone asked to subscribe this address to newswatch alerts. It is already subscribed, so nothing changed.",
      "To change what you receive, or to unsubscribe, use the link below.",
    ].join("\n\n"),
    action: { label: "Manage your subscription", url: deps.links.manage(sub.id) },
  };
}

async function queueNotice(sub: Subscriber, notice: Notice, deps: SubscribeDeps): Promise<void> {
  await deps.enqueue.deliveries([
    {
      subscriberId: sub.id,
      channel: "email",
      target: { address: sub.email },
      message: { kind: "notice", notice },
    },
  ]);
}
