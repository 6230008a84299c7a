import type { RedisClient } from "../queue/connection.ts";
import type { Keys } from "./keys.ts";

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
    return toRecord(await this.redis.hgetall(this.keys.subscriberState(subscriberId)));
  }

  /** Several subscribers' records in one round trip (planning reads every matched one). */
  async getMany(subscriberIds: readonly string[]): Promise<Map<string, StatusRecord>> {
    const pipeline = this.redis.pipeline();
    for (const id of subscriberIds) pipeline.hgetall(this.keys.subscriberState(id));
    const replies = (await pipeline.exec()) ?? [];
    return new Map(
      subscriberIds.map((id, i) => {
        const [err, hash] = replies[i] ?? [null, {}];
        if (err) throw err;
        return [id, toRecord(hash as Record<string, string>)];
      }),
    );
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

  /**
   * Turns a channel back on after an administrator fixed it: a suppressible channel (email)
   * leaves suppression (the status returns to active), a webhook disabled after a 410 is
   * enabled. Never touches a status the subscriber chose (unsubscribed, paused) or has yet to
   * give (unconfirmed). Returns the channels it turned on; a later bounce or 410 turns them
   * off, and reports it, again.
   */
  async reactivate(
    subscriberId: string,
    channels: readonly { kind: string; suppressible?: boolean }[],
  ): Promise<string[]> {
    const key = this.keys.subscriberState(subscriberId);
    const turnedOn: string[] = [];
    for (const { kind: channel, suppressible } of channels) {
      const enabled = (await this.redis.hdel(key, `${DISABLED}${channel}`)) === 1;
      const unsuppressed =
        suppressible === true &&
        (await this.redis.hget(key, "status")) === "suppressed" &&
        (await this.set(subscriberId, "active", "reactivated by an administrator"));
      if (enabled || unsuppressed) turnedOn.push(channel);
    }
    return turnedOn;
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

function toRecord(hash: Record<string, string>): StatusRecord {
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
