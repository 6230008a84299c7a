import type { Alert } from "./alert.ts";

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
