import type { Alert } from "../model/alert.ts";
import type { Outgoing } from "../model/outgoing.ts";

/** Long article texts are cut here: the payload carries a summary, the link carries the rest. */
const SUMMARY_CHARS = 1000;

function summary(text: string): string {
  return text.length > SUMMARY_CHARS ? `${text.slice(0, SUMMARY_CHARS)}…` : text;
}

function newestFirst(alerts: Alert[]): Alert[] {
  const t = (a: Alert) => Date.parse(a.item.published ?? a.discoveredAt) || 0;
  return [...alerts].sort((a, b) => t(b) - t(a));
}

function itemPayload(alert: Alert) {
  const { item } = alert;
  return {
    id: item.id,
    title: item.title,
    link: item.link,
    published: item.published,
    summary: summary(item.text),
    feed: { id: item.feed.id, title: item.feed.title, url: item.feed.url },
  };
}

function alertPayload(alert: Alert) {
  return {
    watchlist: { id: alert.watchlist.id, title: alert.watchlist.title },
    subscriber: alert.subscriberId,
    item: itemPayload(alert),
    matched: alert.matched,
    snippet: alert.snippet,
    ...(alert.foundInFullText ? { foundInFullText: true } : {}),
    alsoReportedBy: alert.alsoReportedBy,
    storyId: alert.storyId ?? null,
    outlets: alert.outlets ?? 1 + alert.alsoReportedBy.length,
    changes: alert.changes ?? [],
    discoveredAt: alert.discoveredAt,
  };
}

/**
 * The `json` webhook body. Alerts have the documented shape; a digest carries its sections with
 * one alert-shaped entry per story, newest first (without the repeated watchlist and subscriber); a notice is
 * its subject, text and optional action. Every body has `type` and `id` first, so a receiver can
 * dispatch and dedupe before reading the rest.
 */
export function jsonPayload(message: Outgoing, now: Date = new Date()): Record<string, unknown> {
  switch (message.kind) {
    case "alert":
      return {
        type: "alert",
        id: message.alert.id,
        ...alertPayload(message.alert),
        ...(message.note ? { note: message.note } : {}),
        createdAt: message.alert.createdAt,
      };
    case "digest": {
      const { digest } = message;
      return {
        type: "digest",
        id: digest.id,
        subscriber: digest.subscriberId,
        period: digest.periodLabel,
        timezone: digest.timezone,
        sections: digest.sections.map((s) => ({
          watchlist: { id: s.watchlist.id, title: s.watchlist.title },
          alerts: newestFirst(s.alerts).map((a) => {
            const { watchlist: _w, subscriber: _s, ...rest } = alertPayload(a);
            return { id: a.id, ...rest, createdAt: a.createdAt };
          }),
        })),
        createdAt: now.toISOString(),
      };
    }
    case "update": {
      // The Standard Webhooks payload structure: {type, timestamp, data}, the event named
      // `story.updated`, so receivers can route it without reading the rest.
      const { update } = message;
      return {
        type: "story.updated",
        timestamp: now.toISOString(),
        data: {
          id: update.id,
          storyId: update.storyId,
          alertId: update.alertId,
          watchlist: update.alert.watchlist,
          subscriber: update.alert.subscriberId,
          report: itemPayload(update.alert),
          changes: update.changes,
          outlets: update.outlets,
          outletCount: update.outletCount,
        },
      };
    }
    case "notice":
      return {
        type: "notice",
        id: message.notice.id,
        subject: message.notice.subject,
        text: message.notice.text,
        action: message.notice.action ?? null,
        createdAt: now.toISOString(),
      };
    default: {
      const never: never = message;
      throw new Error(`unknown message kind ${(never as { kind: string }).kind}`);
    }
  }
}
