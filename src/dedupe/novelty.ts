import type { FeedConfig } from "../config/schema.ts";
import { normalizeEntries } from "../feeds/normalize.ts";
import type { ParsedFeed } from "../feeds/parse.ts";
import type { Logger } from "../log.ts";
import type { FeedItem } from "../model/item.ts";
import { looksLikeBurst, MIN_BURST } from "../pipeline/burst.ts";
import type { FeedDailyCounts } from "../store/feed-daily.ts";
import type { FeedState, FeedStateStore } from "../store/feed-state.ts";
import type { SeenStore } from "../store/seen.ts";
import { looksLikeIdentityChange } from "./identity-change.ts";

export interface NoveltyDeps {
  seen: SeenStore;
  feedStates: Pick<FeedStateStore, "update">;
  /** New items per day, to tell a burst far above the feed's habit from news. */
  feedDaily: Pick<FeedDailyCounts, "readMany">;
  log: Logger;
}

export type FreshItem = { item: FeedItem; novelty: "new" | "edited" };

/** Which of a fetched document's items are news, and which are only to be recorded. */
export interface Novelty {
  /** Every item the document lists, newest first (for the publishing rhythm). */
  items: FeedItem[];
  /** New or edited items to match now, at most `maxItemsPerPoll`. */
  batch: FreshItem[];
  /** Items to mark seen once this poll's alerts are queued: the batch and the record-only. */
  recorded: { item: FeedItem; novelty: "new" | "edited" | "unchanged" }[];
  /** New items among `recorded`. */
  newCount: number;
  /** Alertable items left unseen for the next poll. */
  deferred: number;
  /** Most items changed identity at once: recorded without alerting. */
  identityChanged: boolean;
  /** Far more new items than the feed's busiest recent day: recorded without alerting. */
  burst: boolean;
}

/**
 * The dedupe stage of a poll: normalizes the entries, asks the seen set which are new or
 * edited, and tells a mass identity change (a changed guid or URL scheme) from news. The seen
 * set and the feed's identity are judged together, here, so an item's id and its novelty
 * always come from the same identity. Items that may never alert are recorded at once,
 * however many there are: a first poll's backlog outside `backfill`, and every item of an
 * identity change or of a burst. Left over for the next poll, they would be judged there as an established
 * feed's news and alert.
 */
export async function findNovelty(
  feed: FeedConfig,
  state: FeedState,
  parsed: ParsedFeed,
  finalUrl: string,
  limits: { seenRetention: number; maxItemsPerPoll: number; maxItems: number; now: number },
  deps: NoveltyDeps,
): Promise<Novelty> {
  const normalized = normalizeEntries(feed.id, finalUrl, parsed, {
    previousIdentity: state.identity as "guid" | "link" | "hash" | null,
  });
  const { identity, identityReason } = normalized;
  const items = await keepNewest(feed.id, normalized.items, state, limits.maxItems, deps);
  // Remembered so a feed near the 5% threshold does not flip its item ids back and forth.
  if (identity !== state.identity) await deps.feedStates.update(feed.id, { identity });
  if (identityReason) deps.log.info({ reason: identityReason }, "feed item identity falls back");
  const novelty = await deps.seen.classify(feed.id, items, limits.seenRetention);
  const fresh = items
    .map((item, i) => ({ item, novelty: novelty[i] ?? "new" }))
    .filter((e) => e.novelty !== "unchanged");
  const firstPoll = state.lastSuccessAt === null;
  const identityChanged = looksLikeIdentityChange(
    fresh.filter((e) => e.novelty === "new").map((e) => e.item),
    items.length,
    state,
  );
  const burst =
    !identityChanged && !firstPoll && (await isBurst(feed.id, fresh, deps.feedDaily, limits.now));
  const recordOnly: typeof fresh = [];
  const candidates: typeof fresh = [];
  for (const e of fresh) {
    const alertable =
      !identityChanged && !burst && isAlertable(e.item, firstPoll, feed, limits.now);
    (alertable ? candidates : recordOnly).push(e);
  }
  // Newest first; the rest stay unseen and are processed by the next poll, never dropped.
  const batch = candidates.slice(0, limits.maxItemsPerPoll) as FreshItem[];
  const recorded = [...recordOnly, ...batch];
  const newCount = recorded.filter((e) => e.novelty === "new").length;
  if (identityChanged) {
    deps.log.warn(
      { held: newCount },
      "most items changed identity at once: recorded without alerting",
    );
  } else if (burst) {
    deps.log.warn(
      { held: newCount },
      "a burst far above the feed's usual rate: recorded without alerting",
    );
  } else if (firstPoll && recordOnly.length > 0) {
    deps.log.info(
      { recorded: recordOnly.length },
      "first poll: existing items recorded without alerting",
    );
  }
  return {
    items,
    batch,
    recorded,
    newCount,
    deferred: candidates.length - batch.length,
    identityChanged,
    burst,
  };
}

/** Reads the feed's daily counts only for a fetch big enough to be a burst. */
async function isBurst(
  feedId: string,
  fresh: { novelty: string }[],
  feedDaily: NoveltyDeps["feedDaily"],
  now: number,
): Promise<boolean> {
  const newItems = fresh.filter((e) => e.novelty === "new").length;
  if (newItems < MIN_BURST) return false;
  const daily = (await feedDaily.readMany([feedId])).get(feedId) ?? new Map();
  return looksLikeBurst(newItems, daily, now);
}

/**
 * A document listing more than `defaults.maxItems` items is an archive more than a feed: only
 * the newest are looked at, so one poll's seen keys, matching and memory stay bounded. Said
 * once in the log when it starts, and kept in the feed's state for `newswatch feeds`.
 */
async function keepNewest(
  feedId: string,
  items: FeedItem[],
  state: FeedState,
  max: number,
  deps: NoveltyDeps,
): Promise<FeedItem[]> {
  const over = items.length > max ? items.length : null;
  if (over !== state.itemsOverCap) {
    if (over !== null && state.itemsOverCap === null)
      deps.log.warn(
        { listed: over, kept: max },
        "feed lists more items than defaults.maxItems: only the newest are kept",
      );
    await deps.feedStates.update(feedId, { itemsOverCap: over });
  }
  return over === null ? items : items.slice(0, max);
}

/** First-poll items only alert when younger than the feed's `backfill` window. */
function isAlertable(item: FeedItem, firstPoll: boolean, feed: FeedConfig, now: number): boolean {
  if (!firstPoll) return true;
  if (!feed.backfill || !item.published) return false;
  return now - Date.parse(item.published) <= feed.backfill;
}
