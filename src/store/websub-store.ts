import type { RedisClient } from "../queue/connection.ts";
import { writeHashFields } from "./hash-fields.ts";
import type { Keys } from "./keys.ts";

/**
 * Where a feed's WebSub subscription stands: `requested` (asked the hub, waiting for its
 * verification request), `verified` (the hub confirmed a lease: pushes are expected) or
 * `failed` (the hub refused, denied or never verified; `error` says which).
 */
export type PushState = "requested" | "verified" | "failed";

export interface PushSubscription {
  state: PushState;
  hub: string;
  topic: string;
  /** The hub.secret we gave: the key of every push's X-Hub-Signature HMAC. */
  secret: string;
  requestedAt: number;
  verifiedAt: number | null;
  leaseExpiresAt: number | null;
  /** When a failed subscription may be asked for again. */
  retryAt: number | null;
  lastPushAt: number | null;
  pushes: number;
  error: string | null;
}

const NUMBER_FIELDS = new Set([
  "requestedAt",
  "verifiedAt",
  "leaseExpiresAt",
  "retryAt",
  "lastPushAt",
  "pushes",
]);

/** One Redis hash per feed, beside its feed state. */
export class WebSubStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async get(feedId: string): Promise<PushSubscription | null> {
    return decode(await this.redis.hgetall(this.keys.websub(feedId)));
  }

  async getMany(feedIds: string[]): Promise<Map<string, PushSubscription | null>> {
    const pipeline = this.redis.pipeline();
    for (const id of feedIds) pipeline.hgetall(this.keys.websub(id));
    const results = (await pipeline.exec()) ?? [];
    return new Map(
      feedIds.map((id, i) => [id, decode((results[i]?.[1] ?? {}) as Record<string, string>)]),
    );
  }

  /** Writes the given fields; null removes one. */
  async update(feedId: string, changes: Partial<PushSubscription>): Promise<void> {
    await writeHashFields(this.redis, this.keys.websub(feedId), changes);
  }

  async recordPush(feedId: string, at: number): Promise<void> {
    await this.redis
      .pipeline()
      .hset(this.keys.websub(feedId), "lastPushAt", String(at))
      .hincrby(this.keys.websub(feedId), "pushes", 1)
      .exec();
  }
}

function decode(hash: Record<string, string>): PushSubscription | null {
  if (!hash.hub || !hash.state) return null;
  const out: Record<string, unknown> = {
    verifiedAt: null,
    leaseExpiresAt: null,
    retryAt: null,
    lastPushAt: null,
    pushes: 0,
    error: null,
  };
  for (const [field, value] of Object.entries(hash))
    out[field] = NUMBER_FIELDS.has(field) ? Number(value) : value;
  return out as unknown as PushSubscription;
}
