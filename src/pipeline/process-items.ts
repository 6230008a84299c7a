import type { PlannedAlert, WatchlistMatch } from "../alerts/plan.ts";
import { planAlerts } from "../alerts/plan.ts";
import type { Subscriber } from "../alerts/subscriber.ts";
import type { FeedItem, FeedRef } from "../feeds/item.ts";
import type { Logger } from "../log.ts";
import { buildSnippet, type MatchDocument } from "../rules/index.ts";
import type { Snapshot } from "../runtime/snapshot.ts";
import type { StoryStore } from "../store/stories.ts";

/** Takes planned alerts onward: queues immediate deliveries, files digest entries. */
export interface AlertDispatcher {
  dispatch(planned: PlannedAlert[]): Promise<{ deliveryIds: string[]; digested: number }>;
}

export interface ProcessDeps {
  stories: StoryStore;
  dispatcher: AlertDispatcher;
  log: Logger;
}

export interface ProcessResult {
  matchedItems: number;
  matchesByWatchlist: Record<string, number>;
  deliveryIds: string[];
  digested: number;
}

export function toMatchDocument(item: FeedItem): MatchDocument {
  return {
    feedId: item.feedId,
    title: item.title,
    content: item.text,
    author: item.author ?? "",
    categories: item.categories,
  };
}

/** Match → story → plan → dispatch, for items already known to be new (or edited). */
export async function processItems(
  entries: { item: FeedItem; novelty: "new" | "edited" }[],
  feed: FeedRef,
  snapshot: Snapshot,
  subscribers: readonly Subscriber[],
  deps: ProcessDeps,
  discoveredAt: Date,
): Promise<ProcessResult> {
  const result: ProcessResult = {
    matchedItems: 0,
    matchesByWatchlist: {},
    deliveryIds: [],
    digested: 0,
  };
  for (const { item, novelty } of entries) {
    const doc = toMatchDocument(item);
    const matches: WatchlistMatch[] = snapshot.ruleSet.match(doc).map((m) => ({
      watchlistId: m.ruleId,
      matched: m.matched,
      snippet: buildSnippet(doc, m.matched),
    }));
    if (matches.length === 0) continue;
    result.matchedItems++;
    for (const m of matches)
      result.matchesByWatchlist[m.watchlistId] =
        (result.matchesByWatchlist[m.watchlistId] ?? 0) + 1;
    const story = await deps.stories.resolve(item, feed);
    const planned = planAlerts({
      item,
      feed,
      matches,
      storyId: story.storyId,
      alsoReportedBy: story.alsoReportedBy,
      novelty,
      watchlists: snapshot.watchlists,
      subscribers,
      discoveredAt,
      now: new Date(),
    });
    deps.log.info(
      {
        feedId: feed.id,
        itemId: item.id,
        storyId: story.storyId,
        watchlists: matches.map((m) => m.watchlistId),
        alerts: planned.length,
      },
      story.first ? "item matched" : "item matched a story already seen from another source",
    );
    const dispatched = await deps.dispatcher.dispatch(planned);
    result.deliveryIds.push(...dispatched.deliveryIds);
    result.digested += dispatched.digested;
  }
  return result;
}
