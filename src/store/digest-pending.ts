import type { Alert } from "../model/alert.ts";
import type { RedisClient } from "../queue/connection.ts";
import type { Keys } from "./keys.ts";

/** "digest": waits for the scheduled digest; "held": waits for quiet hours to end. */
export type DigestBucket = "digest" | "held";

/**
 * Alerts waiting for a digest, in Redis so they survive restarts. Taking a batch is one
 * RENAMENX of the pending list to a key named after the digest, so two schedulers racing
 * for the same period take it once, and alerts arriving meanwhile start a new list for the
 * next period.
 */
export class DigestPendingStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  private pendingKey(subscriberId: string, bucket: DigestBucket): string {
    return `${this.keys.digestPending(subscriberId)}:${bucket}`;
  }

  private batchKey(digestId: string): string {
    return this.keys.digestBatch(digestId);
  }

  async add(subscriberId: string, bucket: DigestBucket, alert: Alert): Promise<void> {
    await this.redis.rpush(this.pendingKey(subscriberId, bucket), JSON.stringify(alert));
  }

  async count(subscriberId: string, bucket: DigestBucket): Promise<number> {
    return this.redis.llen(this.pendingKey(subscriberId, bucket));
  }

  /** Moves what is pending into the batch of `digestId` (once) and returns the batch. */
  async take(subscriberId: string, bucket: DigestBucket, digestId: string): Promise<Alert[]> {
    const batch = this.batchKey(digestId);
    try {
      await this.redis.renamenx(this.pendingKey(subscriberId, bucket), batch);
    } catch (err) {
      if (!/no such key/i.test((err as Error).message)) throw err;
    }
    const raw = await this.redis.lrange(batch, 0, -1);
    return raw.map((r) => JSON.parse(r) as Alert);
  }

  /** Drops everything a subscriber has waiting (their subscription was deleted). */
  async clear(subscriberId: string): Promise<void> {
    await this.redis.del(
      this.pendingKey(subscriberId, "digest"),
      this.pendingKey(subscriberId, "held"),
    );
  }

  /** Drops a batch once its deliveries are queued. */
  async release(digestId: string): Promise<void> {
    await this.redis.del(this.batchKey(digestId));
  }
}
