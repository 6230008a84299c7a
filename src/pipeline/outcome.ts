/** What one poll of one feed did, for the run-once summary, logs and metrics. */
export interface PollOutcome {
  feedId: string;
  status: "ok" | "not-modified" | "failed" | "skipped";
  /** Items in the fetched document (0 for 304s and failures). */
  items?: number;
  /** Items never seen before (first-poll backlog included). */
  newItems: number;
  /** Items that matched at least one watchlist and were alert-eligible. */
  matchedItems: number;
  /** Matches per watchlist id. */
  matchesByWatchlist: Record<string, number>;
  /** Deliveries queued for immediate sending (job ids). */
  deliveryIds: string[];
  /** Alerts put into digests instead. */
  digested: number;
  error?: { category: string; message: string };
  /** Why a poll was skipped or why items were held back. */
  note?: string;
  fetchMs: number;
}

export function emptyOutcome(feedId: string): PollOutcome {
  return {
    feedId,
    status: "ok",
    newItems: 0,
    matchedItems: 0,
    matchesByWatchlist: {},
    deliveryIds: [],
    digested: 0,
    fetchMs: 0,
  };
}
