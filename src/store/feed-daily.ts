import type { RedisClient } from "../queue/connection.ts";
import type { Keys } from "./keys.ts";

/** Days kept per feed: the Sources chart shows 30, a little slack for timezones. */
const KEEP_SECONDS = 35 * 86_400;

/**
 * New items per feed per UTC day, one Redis hash per feed (`{prefix}:feed-daily:<feed id>`,
 * field YYYY-MM-DD). The poll pipeline increments it when it records new items; the
 * Sources page reads it for its 30-day chart.
 */
export class FeedDailyCounts {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  key(feedId: string): string {
    return this.keys.feedDaily(feedId);
  }

  async increment(feedId: string, at: number, by: number): Promise<void> {
    if (by <= 0) return;
    const key = this.key(feedId);
    const day = new Date(at).toISOString().slice(0, 10);
    await this.redis.multi().hincrby(key, day, by).expire(key, KEEP_SECONDS).exec();
  }

  /** Counts by day for several feeds at once. */
  async readMany(feedIds: string[]): Promise<Map<string, Map<string, number>>> {
    const pipeline = this.redis.pipeline();
    for (const id of feedIds) pipeline.hgetall(this.key(id));
    const results = (await pipeline.exec()) ?? [];
    return new Map(
      feedIds.map((id, i) => {
        const hash = (results[i]?.[1] ?? {}) as Record<string, string>;
        return [id, new Map(Object.entries(hash).map(([d, n]) => [d, Number(n)]))];
      }),
    );
  }
}
