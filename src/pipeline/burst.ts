/** Fewer new items than this in one fetch are never a burst, whatever the feed's habit. */
export const MIN_BURST = 100;
/** How many times its busiest recent day a fetch must bring to count as a burst. */
const BURST_FACTOR = 10;
/** Days of history a feed needs before its habit is judged. */
const MIN_HISTORY_DAYS = 3;

/**
 * True when one fetch brings far more new items than the feed ever published in a day of
 * the last month: a publisher's broken export, a spam injection, an archive dumped into the
 * feed. Such items are recorded without alerting (a feed of 50,000 fresh items would
 * otherwise send every subscriber alerts poll after poll) and the admin is told.
 *
 * `daily` is new items per UTC day (YYYY-MM-DD, see FeedDailyCounts); today is left out,
 * since it may already hold part of the burst.
 */
export function looksLikeBurst(
  newItems: number,
  daily: ReadonlyMap<string, number>,
  now: number,
): boolean {
  if (newItems < MIN_BURST) return false;
  const today = new Date(now).toISOString().slice(0, 10);
  const past = [...daily.entries()].filter(([day]) => day < today).map(([, n]) => n);
  if (past.length < MIN_HISTORY_DAYS) return false;
  return newItems > BURST_FACTOR * Math.max(...past);
}
