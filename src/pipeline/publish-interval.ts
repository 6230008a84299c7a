import type { FeedItem } from "../feeds/item.ts";

/**
 * The median gap between consecutive publication dates of a fetch's items. The median,
 * not the mean, so one old item republished or one burst does not skew a feed's rhythm.
 * Null when fewer than two items carry dates.
 */
export function medianIntervalMs(items: Pick<FeedItem, "published">[]): number | null {
  const times = items
    .map((i) => (i.published ? Date.parse(i.published) : Number.NaN))
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (times.length < 2) return null;
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push((times[i] as number) - (times[i - 1] as number));
  gaps.sort((a, b) => a - b);
  const mid = gaps.length >> 1;
  return gaps.length % 2
    ? (gaps[mid] as number)
    : ((gaps[mid - 1] as number) + (gaps[mid] as number)) / 2;
}
