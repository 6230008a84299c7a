import type { FeedItem } from "../model/item.ts";

/** Below these a feed is too young or a fetch too small to judge. */
const MIN_ITEMS_SEEN = 10;
const MIN_NEW = 5;

/**
 * True when a fetch looks like the publisher changed item identities (new guid scheme, new
 * URL layout) rather than published a lot: an established feed where nearly every item is
 * "new" and most of the dated ones are older than our previous successful poll. Those items
 * are recorded without alerting, and one notice explains why, instead of a flood of stale
 * alerts. A real burst of fresh news has recent dates and passes.
 */
export function looksLikeIdentityChange(
  newItems: Pick<FeedItem, "published">[],
  totalItems: number,
  feed: { itemsSeen: number; lastSuccessAt: number | null },
): boolean {
  if (feed.lastSuccessAt === null || feed.itemsSeen < MIN_ITEMS_SEEN) return false;
  if (newItems.length < MIN_NEW || newItems.length < 0.8 * totalItems) return false;
  const dated = newItems
    .map((i) => (i.published ? Date.parse(i.published) : Number.NaN))
    .filter(Number.isFinite);
  if (dated.length === 0) return true;
  const lastSuccess = feed.lastSuccessAt;
  const stale = dated.filter((t) => t < lastSuccess).length;
  return stale >= 0.5 * dated.length;
}
