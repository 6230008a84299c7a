import type { FeedItem } from "../model/item.ts";
import type { RedisClient } from "../queue/connection.ts";
import { shortHash } from "./hash.ts";
import type { Keys } from "./keys.ts";

export type ItemNovelty = "new" | "unchanged" | "edited";

/**
 * Remembers which items of a feed were processed, by age rather than by count: each seen
 * item is one key that expires after the retention period (weeks), so a feed that
 * re-publishes an old entry after a month of quiet is still recognised, and memory stays
 * bounded without a cap that a busy feed would overflow.
 */
export class SeenStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /**
   * For each item: never seen, seen with the same text, or seen with different text. Call it
   * with every item of a fetched document: the retention of each seen item restarts here, so
   * an item is forgotten `retentionMs` after it was last listed, not after it was first seen
   * (a feed that keeps an item for months must not make it "new" again).
   */
  async classify(
    feedId: string,
    items: Pick<FeedItem, "id" | "contentHash">[],
    retentionMs: number,
  ): Promise<ItemNovelty[]> {
    if (items.length === 0) return [];
    const keys = items.map((item) => this.key(feedId, item.id));
    const pipeline = this.redis.pipeline().mget(keys);
    for (const key of keys) pipeline.pexpire(key, retentionMs);
    // A 304 refreshes nothing; this marker asks for a full fetch before the listed items expire.
    pipeline.set(this.listedKey(feedId), "1", "PX", Math.ceil(retentionMs / 2));
    const results = (await pipeline.exec()) ?? [];
    const [err, stored] = results[0] ?? [null, []];
    if (err) throw err;
    return items.map((item, i) => {
      const previous = (stored as (string | null)[])[i];
      if (previous === null || previous === undefined) return "new";
      return previous === item.contentHash ? "unchanged" : "edited";
    });
  }

  /**
   * True when the feed's listed items have not been refreshed for half the retention (or
   * never): the next poll then fetches without validators, so a feed answering 304 for
   * months still has its items' retention restarted by a full document.
   */
  async refreshDue(feedId: string): Promise<boolean> {
    return (await this.redis.exists(this.listedKey(feedId))) === 0;
  }

  /** Records items as processed; call only after their alerts are safely queued. */
  async markSeen(
    feedId: string,
    items: Pick<FeedItem, "id" | "contentHash">[],
    retentionMs: number,
  ): Promise<void> {
    if (items.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const item of items)
      pipeline.set(this.key(feedId, item.id), item.contentHash, "PX", retentionMs);
    await pipeline.exec();
  }

  private listedKey(feedId: string): string {
    // "~" never appears in a shortHash (base64url), so this cannot collide with an item key.
    return this.keys.seen(feedId, "~listed");
  }

  private key(feedId: string, itemId: string): string {
    return this.keys.seen(feedId, shortHash(itemId));
  }
}
