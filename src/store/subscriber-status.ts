import type { RedisClient } from "../queue/connection.ts";
import type { Keys } from "../queue/names.ts";

/** Hash field prefix for a channel turned off at run time. */
const DISABLED = "disabled:";

export type SubscriberStatus = "active" | "unconfirmed" | "unsubscribed" | "suppressed" | "paused";

export interface StatusRecord {
  status: SubscriberStatus;
  reason: string | null;
  changedAt: string | null;
  /** Channels turned off at run time (a 410 endpoint), with the reason. */
  disabledChannels: Record<string, string>;
}

/**
 * The per-subscriber state that changes at run time, whatever defined the subscriber:
 * unsubscribed by one click, suppressed after an SMTP 5xx, a webhook disabled after a 410.
 */
export class SubscriberStatusStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async get(subscriberId: string): Promise<StatusRecord> {
    const hash = await this.redis.hgetall(this.keys.subscriberState(subscriberId));
    const disabledChannels: Record<string, string> = {};
    for (const [field, reason] of Object.entries(hash)) {
      if (field.startsWith(DISABLED)) disabledChannels[field.slice(DISABLED.length)] = reason;
    }
    return {
      status: (hash.status as SubscriberStatus | undefined) ?? "active",
      reason: hash.reason ?? null,
      changedAt: hash.changedAt ?? null,
      disabledChannels,
    };
  }

  /** Sets a status; returns false when it already had it (so notices go out once). */
  async set(
    subscriberId: string,
    status: SubscriberStatus,
    reason: string | null,
  ): Promise<boolean> {
    const key = this.keys.subscriberState(subscriberId);
    const previous = await this.redis.hget(key, "status");
    if (previous === status) return false;
    await this.redis.hset(key, {
      status,
      reason: reason ?? "",
      changedAt: new Date().toISOString(),
    });
    return true;
  }

  /** Per channel: a webhook endpoint disabled after a 410 leaves the email channel working. */
  async disableChannel(subscriberId: string, channel: string, reason: string): Promise<boolean> {
    return (
      (await this.redis.hsetnx(
        this.keys.subscriberState(subscriberId),
        `${DISABLED}${channel}`,
        reason,
      )) === 1
    );
  }
}
