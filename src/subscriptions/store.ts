import { randomBytes } from "node:crypto";
import type { Subscriber } from "../model/subscriber.ts";
import type { RedisClient } from "../queue/connection.ts";
import { DigestPendingStore } from "../store/digest-pending.ts";
import type { Keys } from "../store/keys.ts";
import { SubscriberStatusStore } from "../store/subscriber-status.ts";
import type { ValidSubscription } from "./validate.ts";

/** A deleted subscription's status outlives its failed delivery jobs (kept 30 days). */
const DELETED_STATUS_KEPT_S = 31 * 86_400;

/** A subscription as stored: the Subscriber plus when it was made. */
interface StoredSubscription {
  subscriber: Subscriber;
  createdAt: string;
}

/** Thrown by `create` when the address already has a subscription; carries its id. */
export class DuplicateSubscription extends Error {
  constructor(readonly existingId: string) {
    super("this address already has a subscription");
    this.name = "DuplicateSubscription";
  }
}

/**
 * Subscriptions made through the API or the subscribe page. One Redis hash holds them all
 * (id → JSON) and a second maps each address to its id, so one address has one
 * subscription and a repeated sign-up finds the first instead of adding a twin.
 */
export class SubscriptionStore {
  private readonly statuses: SubscriberStatusStore;
  private readonly pending: DigestPendingStore;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {
    this.statuses = new SubscriberStatusStore(redis, keys);
    this.pending = new DigestPendingStore(redis, keys);
  }

  private get recordsKey() {
    return this.keys.apiSubscriptions();
  }

  private get emailsKey() {
    return this.keys.apiSubscriptionEmails();
  }

  /**
   * Stores a new, unconfirmed subscription. The status is written first: a subscriber with
   * no status reads as active, and nothing may reach this address before it confirms.
   */
  async create(input: ValidSubscription): Promise<Subscriber> {
    // `s` + base64url: letters, digits, '-' and '_' only — valid as an id, a key part and a job id.
    const id = `s${randomBytes(9).toString("base64url")}`;
    const claimed = await this.redis.hsetnx(this.emailsKey, input.email.toLowerCase(), id);
    if (claimed === 0) {
      const existing = await this.redis.hget(this.emailsKey, input.email.toLowerCase());
      throw new DuplicateSubscription(existing as string);
    }
    await this.statuses.set(id, "unconfirmed", "waiting for the confirmation link");
    const subscriber: Subscriber = { id, ...input, source: "api" };
    const record: StoredSubscription = { subscriber, createdAt: new Date().toISOString() };
    await this.redis.hset(this.recordsKey, id, JSON.stringify(record));
    return subscriber;
  }

  async get(id: string): Promise<Subscriber | undefined> {
    const raw = await this.redis.hget(this.recordsKey, id);
    return raw ? (JSON.parse(raw) as StoredSubscription).subscriber : undefined;
  }

  async findByEmail(email: string): Promise<Subscriber | undefined> {
    const id = await this.redis.hget(this.emailsKey, email.toLowerCase());
    return id ? this.get(id) : undefined;
  }

  /** Every API subscription, oldest first. */
  async list(): Promise<Subscriber[]> {
    const all = Object.values(await this.redis.hgetall(this.recordsKey)).map(
      (raw) => JSON.parse(raw) as StoredSubscription,
    );
    all.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    return all.map((r) => r.subscriber);
  }

  /** Replaces the policy fields (the address stays: changing it would skip the opt-in). */
  async update(
    id: string,
    changes: Omit<ValidSubscription, "email">,
  ): Promise<Subscriber | undefined> {
    const raw = await this.redis.hget(this.recordsKey, id);
    if (!raw) return undefined;
    const record = JSON.parse(raw) as StoredSubscription;
    const { email } = record.subscriber;
    record.subscriber = { id, email, ...changes, source: "api" };
    await this.redis.hset(this.recordsKey, id, JSON.stringify(record));
    return record.subscriber;
  }

  /**
   * Removes the subscription and its address claim (the address may sign up afresh, under a
   * new id) and drops its pending digest lists. Its status is not removed but set to
   * "unsubscribed", kept as long as BullMQ keeps failed jobs: a missing status reads as active,
   * and alerts already queued or retrying for this id, or a failed one `retry` resends, would
   * otherwise still go out.
   */
  async delete(id: string): Promise<boolean> {
    const sub = await this.get(id);
    if (!sub) return false;
    await this.statuses.set(id, "unsubscribed", "subscription deleted");
    await this.redis
      .multi()
      .hdel(this.recordsKey, id)
      .hdel(this.emailsKey, (sub.email ?? "").toLowerCase())
      .expire(this.keys.subscriberState(id), DELETED_STATUS_KEPT_S)
      .exec();
    await this.pending.clear(id);
    return true;
  }
}
