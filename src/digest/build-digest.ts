import type { Alert } from "../model/alert.ts";
import type { Digest } from "../model/outgoing.ts";

/**
 * Turns a batch of pending alerts into one digest: grouped by watchlist (in the order the
 * subscriber's watchlists are listed), newest first, one entry per story with every other
 * source folded into "also reported by". Null when there is nothing to send.
 */
export function buildDigest(
  alerts: Alert[],
  opts: {
    digestId: string;
    subscriberId: string;
    periodLabel: string;
    timezone: string;
    watchlistOrder: string[];
  },
): Digest | null {
  if (alerts.length === 0) return null;
  const byWatchlist = new Map<string, Map<string, Alert>>();
  for (const alert of alerts) {
    const stories = byWatchlist.get(alert.watchlist.id) ?? new Map<string, Alert>();
    byWatchlist.set(alert.watchlist.id, stories);
    // Alert ids already hash (subscriber, watchlist, story): one id is one story here.
    const existing = stories.get(alert.id);
    stories.set(alert.id, existing ? mergeSources(existing, alert) : alert);
  }
  const order = (id: string) => {
    const index = opts.watchlistOrder.indexOf(id);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  const sections = [...byWatchlist.entries()]
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([, stories]) => {
      const list = [...stories.values()].sort((a, b) => timeOf(b) - timeOf(a));
      return { watchlist: (list[0] as Alert).watchlist, alerts: list };
    });
  return {
    id: opts.digestId,
    subscriberId: opts.subscriberId,
    periodLabel: opts.periodLabel,
    timezone: opts.timezone,
    sections,
  };
}

function timeOf(alert: Alert): number {
  const published = alert.item.published ? Date.parse(alert.item.published) : Number.NaN;
  return Number.isFinite(published) ? published : Date.parse(alert.discoveredAt);
}

/**
 * The same story filed twice (an update, a second outlet): keep the first, add the other's
 * source and what it changed.
 */
function mergeSources(first: Alert, later: Alert): Alert {
  const known = new Set([first.item.feed.id, ...first.alsoReportedBy.map((s) => s.feedId)]);
  const extra = [
    {
      feedId: later.item.feed.id,
      feedTitle: later.item.feed.title,
      title: later.item.title,
      link: later.item.link,
    },
    ...later.alsoReportedBy,
  ].filter((s) => !known.has(s.feedId));
  const changes = [...new Set([...(first.changes ?? []), ...(later.changes ?? [])])];
  const alsoReportedBy = [...first.alsoReportedBy, ...extra];
  const outlets = Math.max(first.outlets ?? 1, later.outlets ?? 1, 1 + alsoReportedBy.length);
  return { ...first, alsoReportedBy, changes, outlets };
}
