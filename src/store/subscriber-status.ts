import type { Subscriber } from "../alerts/subscriber.ts";
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
   * Turns a channel back on after an administrator fixed it: the email channel leaves
   * suppression (the status returns to active), a webhook disabled after a 410 is enabled.
   * Never touches a status the subscriber chose (unsubscribed, paused) or has yet to give
   * (unconfirmed). Returns the channels it turned on; a later bounce or 410 turns them off,
   * and reports it, again.
   */
  async reactivate(subscriberId: string, channels: readonly string[]): Promise<string[]> {
    const key = this.keys.subscriberState(subscriberId);
    const turnedOn: string[] = [];
    for (const channel of channels) {
      const enabled = (await this.redis.hdel(key, `${DISABLED}${channel}`)) === 1;
      const unsuppressed =
        channel === "email" &&
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

/**
 * The channels that are off, with why: an address suppressed after an SMTP 5xx stops email
 * (a bounce says nothing of the person's webhook), and a channel disabled at run time (a
 * webhook's 410) stops that channel.
 */
export function channelsOff(record: StatusRecord): Record<string, string> {
  return {
    ...(record.status === "suppressed" ? { email: record.reason ?? "suppressed" } : {}),
    ...record.disabledChannels,
  };
}

/**
 * Why a channel cannot reach this subscriber now, or null when it can. The one rule planning
 * (reachableSubscriber), the delivery worker (for jobs queued before a status changed) and
 * `newswatch subscribers` share: people who have not confirmed, left or paused get nothing;
 * otherwise only the channels that are off are stopped.
 */
export function channelBlocked(record: StatusRecord, channel: string): string | null {
  if (record.status !== "active" && record.status !== "suppressed")
    return `subscriber is ${record.status}`;
  if (record.status === "suppressed" && channel === "email")
    return "subscriber is suppressed (the address bounced)";
  const disabled = record.disabledChannels[channel];
  return disabled ? `${channel} channel disabled: ${disabled}` : null;
}

/** The subscriber with only the channels that can reach them (see channelBlocked), or null. */
export function reachableSubscriber(sub: Subscriber, record: StatusRecord): Subscriber | null {
  const { email, webhook, ...rest } = sub;
  const emailOn = email !== undefined && channelBlocked(record, "email") === null;
  const webhookOn = webhook !== undefined && channelBlocked(record, "webhook") === null;
  if (!emailOn && !webhookOn) return null;
  return { ...rest, ...(emailOn ? { email } : {}), ...(webhookOn ? { webhook } : {}) };
}
