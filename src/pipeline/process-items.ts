import type { PlannedAlert, WatchlistMatch } from "../alerts/plan.ts";
import { planAlerts } from "../alerts/plan.ts";
import { reachableSubscriber } from "../alerts/reachability.ts";
import type { WatchlistConfig } from "../config/schema.ts";
import type { Logger } from "../log.ts";
import type { FeedItem, FeedRef } from "../model/item.ts";
import type { Subscriber } from "../model/subscriber.ts";
import { buildSnippet, type MatchDocument, type RuleSet } from "../rules/index.ts";
import type { StoryStore } from "../store/stories.ts";
import type { StatusRecord, SubscriberStatusStore } from "../store/subscriber-status.ts";

/** Takes planned alerts onward: queues immediate deliveries, files digest entries. */
export interface AlertDispatcher {
  dispatch(planned: PlannedAlert[]): Promise<{ deliveryIds: string[]; digested: number }>;
}

export interface ProcessDeps {
  stories: StoryStore;
  dispatcher: AlertDispatcher;
  /** Who can still be reached: alerts are planned only for them. */
  statuses: SubscriberStatusStore;
  log: Logger;
}

export interface ProcessResult {
  matchedItems: number;
  matchesByWatchlist: Record<string, number>;
  deliveryIds: string[];
  digested: number;
}

/** What the rules see of an item; `body` is its article's full text, when it was fetched. */
export function toMatchDocument(item: FeedItem, body?: string): MatchDocument {
  return {
    feedId: item.feedId,
    title: item.title,
    content: body ? `${item.text}\n${body}` : item.text,
    author: item.author ?? "",
    categories: item.categories,
  };
}

/** Who an item is matched for: the rules, their watchlists, and the subscribers of this poll. */
export interface Audience {
  /** Read only when an item is to be matched: compiling the rules is not free. */
  rules(): RuleSet;
  watchlists: ReadonlyMap<string, WatchlistConfig>;
  subscribers: readonly Subscriber[];
}

/** Match → story → plan → dispatch, for items already known to be new (or edited). */
export async function processItems(
  entries: { item: FeedItem; novelty: "new" | "edited"; body?: string }[],
  feed: FeedRef,
  audience: Audience,
  deps: ProcessDeps,
  discoveredAt: Date,
): Promise<ProcessResult> {
  const result: ProcessResult = {
    matchedItems: 0,
    matchesByWatchlist: {},
    deliveryIds: [],
    digested: 0,
  };
  // Read once per poll, and only for subscribers an item matched.
  const statuses = new Map<string, StatusRecord>();
  for (const { item, novelty, body } of entries) {
    const doc = toMatchDocument(item, body);
    const rules = audience.rules();
    const found = rules.match(doc);
    // Which watchlists the feed's own text was enough for: the others matched in the article.
    const onFeedText =
      body && found.length > 0
        ? new Set(rules.match(toMatchDocument(item)).map((m) => m.ruleId))
        : null;
    const matches: WatchlistMatch[] = found.map((m) => ({
      watchlistId: m.ruleId,
      matched: m.matched,
      snippet: buildSnippet(doc, m.matched),
      ...(onFeedText && !onFeedText.has(m.ruleId) ? { fullTextOnly: true } : {}),
    }));
    if (matches.length === 0) continue;
    result.matchedItems++;
    for (const m of matches)
      result.matchesByWatchlist[m.watchlistId] =
        (result.matchesByWatchlist[m.watchlistId] ?? 0) + 1;
    const story = await deps.stories.resolve(item, feed, discoveredAt);
    const everyone = planAlerts({
      item,
      feed,
      matches,
      storyId: story.storyId,
      alsoReportedBy: story.alsoReportedBy,
      outlets: story.outlets,
      changes: story.changes,
      storyTitle: story.reports[0]?.title,
      novelty,
      watchlists: audience.watchlists,
      subscribers: audience.subscribers,
      discoveredAt,
      now: new Date(),
    });
    const planned = await onlyReachable(everyone, statuses, deps, item.id);
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

/**
 * Drops alerts for subscribers who cannot receive them (unconfirmed, unsubscribed, paused,
 * or every channel off) and their channels that are off: queued, each would only be
 * skipped by the delivery worker and fill the queue and the audit with skips.
 */
async function onlyReachable(
  planned: PlannedAlert[],
  statuses: Map<string, StatusRecord>,
  deps: ProcessDeps,
  itemId: string,
): Promise<PlannedAlert[]> {
  const unknown = [...new Set(planned.map((p) => p.subscriber.id))].filter(
    (id) => !statuses.has(id),
  );
  if (unknown.length > 0)
    for (const [id, r] of await deps.statuses.getMany(unknown)) statuses.set(id, r);
  const out: PlannedAlert[] = [];
  const skipped: Record<string, string> = {};
  for (const p of planned) {
    const record = statuses.get(p.subscriber.id);
    const subscriber = record ? reachableSubscriber(p.subscriber, record) : p.subscriber;
    if (subscriber) out.push({ ...p, subscriber });
    else
      skipped[p.subscriber.id] =
        record?.status === "active" || record?.status === "suppressed"
          ? `${record.status}, every channel off`
          : (record?.status ?? "active");
  }
  if (Object.keys(skipped).length > 0)
    deps.log.debug({ itemId, skipped }, "no alert planned for subscribers who cannot receive it");
  return out;
}
