import type { FeedItem } from "../model/item.ts";

/**
 * The median gap between consecutive publication dates of a fetch's items. The median,
 * not the mean, so one old item republished or one burst does not skew a feed's rhythm.
 * Dates after `now` are left out: a timezone bug or a typo says nothing about the rhythm.
 * Null when fewer than two items carry usable dates.
 */
export function medianIntervalMs(items: Pick<FeedItem, "published">[], now: number): number | null {
  const times = items
    .map((i) => (i.published ? Date.parse(i.published) : Number.NaN))
    .filter((t) => Number.isFinite(t) && t <= now);
  return medianGapMs(times);
}

/** How many discovery times are kept per feed for its rhythm (a few weeks of a daily feed). */
export const DISCOVERIES_KEPT = 20;
/** Fewer discoveries say too little: the first change after we started watching is one gap. */
const MIN_DISCOVERIES = 3;

/**
 * The rhythm from when new items were discovered (polls that found something new), for a
 * feed whose dates cannot be used: none at all, or every item stamped with the build time.
 * Coarser than dates (never finer than the poll interval), but it is what subscribers see.
 */
export function discoveryIntervalMs(discoveries: number[]): number | null {
  return discoveries.length < MIN_DISCOVERIES ? null : medianGapMs(discoveries);
}

/** Stored discovery times ("t1,t2,..."), oldest first, with `now` appended and the oldest cut. */
export function addDiscovery(stored: string | null, now: number): number[] {
  return [...parseDiscoveries(stored), now].slice(-DISCOVERIES_KEPT);
}

export function parseDiscoveries(stored: string | null): number[] {
  if (!stored) return [];
  return stored
    .split(",")
    .map(Number)
    .filter((t) => Number.isFinite(t) && t > 0);
}

function medianGapMs(unsorted: number[]): number | null {
  const times = [...unsorted].sort((a, b) => a - b);
  if (times.length < 2) return null;
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push((times[i] as number) - (times[i - 1] as number));
  gaps.sort((a, b) => a - b);
  const mid = gaps.length >> 1;
  return gaps.length % 2
    ? (gaps[mid] as number)
    : ((gaps[mid - 1] as number) + (gaps[mid] as number)) / 2;
}
