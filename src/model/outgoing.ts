import type { Alert, AlsoReported } from "./alert.ts";

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

/**
 * A later report of a story already alerted, for a subscriber who wants updates now. It
 * threads under the first alert: email replies to its Message-ID, webhooks name the story.
 */
export interface StoryUpdate {
  /** This update's own id (each new report of a story is one update). */
  id: string;
  /** The first alert of the story for this subscriber and watchlist. */
  alertId: string;
  storyId: string;
  /** The first report's title: the thread's subject. */
  storyTitle: string;
  /** The new report, shaped as an alert (item, snippet, watchlist, subscriber). */
  alert: Alert;
  /** What it added: new figures, a claim, a new place. */
  changes: string[];
  /** Every outlet so far, the first report's first. */
  outlets: AlsoReported[];
  /** Independent outlets so far (one owner counts once). */
  outletCount: number;
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
  | { kind: "update"; update: StoryUpdate }
  | { kind: "notice"; notice: Notice };

/** The id a message is known by on every attempt: the webhook-id, the Message-ID, the outbox name. */
export function messageId(message: Outgoing): string {
  switch (message.kind) {
    case "alert":
      return message.alert.id;
    case "digest":
      return message.digest.id;
    case "update":
      return message.update.id;
    case "notice":
      return message.notice.id;
    default: {
      const never: never = message;
      throw new Error(`unknown message kind ${(never as { kind: string }).kind}`);
    }
  }
}

/** "Update: 5 killed (earlier: 3). Reported so far by Wire A, Wire B (2 independent outlets)." */
export function updateNote(update: StoryUpdate): string {
  const what = update.changes.length > 0 ? update.changes.join("; ") : "another report";
  const who = update.outlets.map((o) => o.feedTitle || o.feedId).join(", ");
  const count = update.outletCount === 1 ? "1 outlet" : `${update.outletCount} independent outlets`;
  return `Update: ${what}. Reported so far by ${who} (${count}).`;
}

/**
 * An update as an alert with the update's note, for channels that have no thread of their
 * own to reply in (Slack, Discord and ntfy incoming webhooks return no message to reply to).
 */
export function updateAsAlert(update: StoryUpdate): Extract<Outgoing, { kind: "alert" }> {
  return {
    kind: "alert",
    alert: {
      ...update.alert,
      id: update.id,
      alsoReportedBy: update.outlets.filter((o) => o.feedId !== update.alert.item.feed.id),
      outlets: update.outletCount,
      changes: update.changes,
    },
    note: updateNote(update),
  };
}
