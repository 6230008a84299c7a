import type { FeedItem, FeedRef } from "../model/item.ts";
import type { RedisClient } from "../queue/connection.ts";
import type { Keys } from "./keys.ts";

export interface RecentItem {
  item: FeedItem;
  feed: FeedRef;
  discoveredAt: number;
}

/** How far back a watchlist preview looks. */
export const RECENT_WINDOW_MS = 7 * 86_400_000;
/** Upper bound on stored items, whatever the window: previews stay fast and memory bounded. */
const RECENT_CAP = 20_000;

/**
 * When an item appeared: its publication date, unless that is later than its discovery (a
 * clock or timezone error). A new feed's first poll discovers its whole backlog at once; by
 * this measure months-old items stay months old instead of crowding "today" in previews.
 */
export function appearedAt(entry: RecentItem): number {
  const published = entry.item.published ? Date.parse(entry.item.published) : Number.NaN;
  return Number.isFinite(published) ? Math.min(published, entry.discoveredAt) : entry.discoveredAt;
}

/**
 * New items of the last days, kept so a query can be tried ("what would this have
 * matched this week?") before anyone subscribes to it.
 */
export class RecentItemStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async add(entries: RecentItem[], now: number): Promise<void> {
    if (entries.length === 0) return;
    const key = this.keys.recentItems();
    const pipeline = this.redis.pipeline();
    for (const entry of entries) {
      const at = appearedAt(entry);
      if (at >= now - RECENT_WINDOW_MS) pipeline.zadd(key, at, JSON.stringify(entry));
    }
    pipeline.zremrangebyscore(key, "-inf", now - RECENT_WINDOW_MS);
    pipeline.zremrangebyrank(key, 0, -RECENT_CAP - 1);
    await pipeline.exec();
  }

  /** Newest first (by appearedAt). */
  async list(since: number): Promise<RecentItem[]> {
    const raw = await this.redis.zrevrangebyscore(this.keys.recentItems(), "+inf", since);
    return raw.map((r) => JSON.parse(r) as RecentItem);
  }
}
