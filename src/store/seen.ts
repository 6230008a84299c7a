import type { Redis } from "ioredis";
import type { FeedItem } from "../feeds/item.ts";
import type { Keys } from "../queue/names.ts";
import { shortHash } from "./hash.ts";

export type ItemNovelty = "new" | "unchanged" | "edited";

/**
 * Remembers which items of a feed were processed, by age rather than by count: each seen
 * item is one key that expires after the retention period (weeks), so a feed that
 * re-publishes an old entry after a month of quiet is still recognised, and memory stays
 * bounded without a cap that a busy feed would overflow.
 */
export class SeenStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  /** For each item: never seen, seen with the same text, or seen with different text. */
  async classify(
    feedId: string,
    items: Pick<FeedItem, "id" | "contentHash">[],
  ): Promise<ItemNovelty[]> {
    if (items.length === 0) return [];
    const stored = await this.redis.mget(items.map((item) => this.key(feedId, item.id)));
    return items.map((item, i) => {
      const previous = stored[i];
      if (previous === null || previous === undefined) return "new";
      return previous === item.contentHash ? "unchanged" : "edited";
    });
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

  private key(feedId: string, itemId: string): string {
    return this.keys.seen(feedId, shortHash(itemId));
  }
}
