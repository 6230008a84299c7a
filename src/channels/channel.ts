import type { Outgoing } from "../model/outgoing.ts";

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

/**
 * Where a channel keeps the id its service gave a story's first message (a Matrix event id),
 * so that the story's updates can be posted as replies in that message's thread.
 */
export interface ThreadRefs {
  remember(key: string, ref: string): Promise<void>;
  lookup(key: string): Promise<string | null>;
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
