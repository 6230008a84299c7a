import type { Alert } from "../alerts/alert.ts";

/** A digest: one message per subscriber per period, grouped by watchlist, newest first. */
export interface Digest {
  /** Idempotency key: subscriber and period. */
  id: string;
  subscriberId: string;
  /** Human label of the period, e.g. "26 Nov 2026, 07:00 (Asia/Baghdad)". */
  periodLabel: string;
  timezone: string;
  sections: { watchlist: { id: string; title: string }; alerts: Alert[] }[];
}

/** An operational or account message: feed failing/recovered, confirm your subscription... */
export interface Notice {
  id: string;
  subject: string;
  text: string;
  /** Optional call to action (e.g. the confirmation link). */
  action?: { label: string; url: string };
}

/** What a channel is asked to deliver. */
export type Outgoing =
  | {
      kind: "alert";
      alert: Alert;
      /** e.g. the storm-cap note on the last immediate alert */
      note?: string;
    }
  | { kind: "digest"; digest: Digest }
  | { kind: "notice"; notice: Notice };

/** Per-send context: the links a message carries and the abort signal of the job. */
export interface SendContext {
  signal: AbortSignal;
  /**
   * The delivery's idempotency key (message and channel), the same on every attempt: a
   * channel whose service deduplicates by a client-chosen id (Matrix's transaction id) uses it.
   */
  deliveryId?: string;
  /** One-click unsubscribe URL (RFC 8058) for this subscriber, when they have one. */
  unsubscribeUrl?: string;
  /** Manage-subscription page for this subscriber. */
  manageUrl?: string;
  /** An alert's signed "Useful" / "Not relevant" links (relevance feedback). */
  feedbackUrls?: { useful: string; notRelevant: string };
  /** Subscriber's timezone, for times shown in the message. Default UTC. */
  timezone?: string;
}

export interface DeliveryReceipt {
  channel: string;
  /** Transport detail worth auditing: SMTP response, HTTP status, outbox path. */
  detail: string;
}

/** One delivery mechanism. Adding a channel is one file implementing this plus a registry line. */
export interface Channel<Target> {
  readonly kind: string;
  /** Delivers one message. Throws DeliveryError; `permanent` stops the queue's retries. */
  send(message: Outgoing, target: Target, ctx: SendContext): Promise<DeliveryReceipt>;
  /** Releases pooled connections. */
  close(): Promise<void>;
}

/** The id a message is known by on every attempt: the webhook-id, the Message-ID, the outbox name. */
export function messageId(message: Outgoing): string {
  switch (message.kind) {
    case "alert":
      return message.alert.id;
    case "digest":
      return message.digest.id;
    case "notice":
      return message.notice.id;
    default: {
      const never: never = message;
      throw new Error(`unknown message kind ${(never as { kind: string }).kind}`);
    }
  }
}
