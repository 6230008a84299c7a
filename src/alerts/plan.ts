import type { DeliveryMode, WatchlistConfig } from "../config/schema.ts";
import type { Alert, AlsoReported, MatchedTerm, SnippetSegment } from "../model/alert.ts";
import type { FeedItem, FeedRef } from "../model/item.ts";
import type { Subscriber } from "../model/subscriber.ts";
import { shortHash } from "../store/hash.ts";

/** A watchlist an item matched, with the explanation the rules stage produced. */
export interface WatchlistMatch {
  watchlistId: string;
  matched: MatchedTerm[];
  snippet: SnippetSegment[];
  /** Matched only with the linked article's full text (`fullText` feeds), not the feed's text. */
  fullTextOnly?: boolean;
}

export interface PlanInput {
  item: FeedItem;
  feed: FeedRef;
  matches: WatchlistMatch[];
  storyId: string;
  alsoReportedBy: AlsoReported[];
  /** Independent outlets so far, and what this report added (see StoryResolution). */
  outlets?: number;
  changes?: string[];
  storyTitle?: string;
  /** An edited item alerts only for watchlists that set alertOnUpdate. */
  novelty: "new" | "edited";
  watchlists: ReadonlyMap<string, WatchlistConfig>;
  subscribers: readonly Subscriber[];
  discoveredAt: Date;
  now: Date;
}

/** How long a story short of `minSources` waits for another outlet. */
export const DEFAULT_CORROBORATE_WITHIN_MS = 1_800_000;

export interface PlannedAlert {
  alert: Alert;
  subscriber: Subscriber;
  mode: DeliveryMode;
  /** The watchlist asks for this many independent outlets, waiting up to `withinMs`. */
  corroboration?: { minSources: number; withinMs: number };
  /** Told in the alert itself (e.g. that no second outlet carried it). */
  note?: string;
}

/**
 * One alert per (subscriber, watchlist, story). The alert id hashes those three, so the
 * same story from a second outlet, or the same item polled again after a crash, yields
 * the same id and the queue and the delivered record turn it away. An edit that alerts
 * again (alertOnUpdate) adds the content hash, making it a distinct alert.
 */
export function planAlerts(input: PlanInput): PlannedAlert[] {
  const planned: PlannedAlert[] = [];
  for (const match of input.matches) {
    const watchlist = input.watchlists.get(match.watchlistId);
    if (!watchlist) continue;
    if (input.novelty === "edited" && !watchlist.alertOnUpdate) continue;
    for (const subscriber of input.subscribers) {
      const subscription = subscriber.watchlists.find((w) => w.id === watchlist.id);
      if (!subscription) continue;
      const identity = [subscriber.id, watchlist.id, input.storyId];
      if (input.novelty === "edited") identity.push(input.item.contentHash);
      planned.push({
        subscriber,
        mode: subscription.mode,
        ...((watchlist.minSources ?? 1) > 1
          ? {
              corroboration: {
                minSources: watchlist.minSources ?? 1,
                withinMs: watchlist.corroborateWithin ?? DEFAULT_CORROBORATE_WITHIN_MS,
              },
            }
          : {}),
        alert: {
          id: `a${shortHash(identity.join("\n"), 24)}`,
          subscriberId: subscriber.id,
          watchlist: { id: watchlist.id, title: watchlist.title },
          item: { ...input.item, text: clip(input.item.text), feed: input.feed },
          matched: match.matched,
          snippet: match.snippet,
          ...(match.fullTextOnly ? { foundInFullText: true } : {}),
          alsoReportedBy: input.alsoReportedBy,
          storyId: input.storyId,
          storyTitle: input.storyTitle ?? input.item.title,
          outlets: input.outlets ?? 1 + input.alsoReportedBy.length,
          changes: input.changes ?? [],
          discoveredAt: input.discoveredAt.toISOString(),
          createdAt: input.now.toISOString(),
        },
      });
    }
  }
  return planned;
}

/**
 * Alerts travel through Redis once per channel and sit in digest lists: they carry the start
 * of the text (messages show a snippet and a summary, the link carries the rest), not a
 * whole article.
 */
const ALERT_TEXT_LIMIT = 2000;

function clip(text: string): string {
  return text.length > ALERT_TEXT_LIMIT ? `${text.slice(0, ALERT_TEXT_LIMIT)}…` : text;
}
