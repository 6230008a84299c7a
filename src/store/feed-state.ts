import type { RedisClient } from "../queue/connection.ts";
import { writeHashFields } from "./hash-fields.ts";
import type { Keys } from "./keys.ts";

/** What newswatch remembers about one feed between polls and across restarts. */
export interface FeedState {
  /** Where the feed is fetched now: the config URL, or a permanent redirect's target. */
  url: string | null;
  /** Validators exactly as the server sent them (RFC 9110 §13.1 compares them byte for byte). */
  etag: string | null;
  lastModified: string | null;
  polls: number;
  lastPollAt: number | null;
  lastSuccessAt: number | null;
  lastErrorAt: number | null;
  lastError: string | null;
  errorCategory: string | null;
  consecutiveErrors: number;
  /**
   * Polls in a row the publisher answered 429/503 with a Retry-After: counted apart from
   * errors, because the feed is not broken, it is being polite (reset by a success).
   */
  consecutiveHolds: number;
  nextPollAt: number | null;
  /**
   * Until when the publisher's last Retry-After (429/503) asked for no requests. Only an
   * explicit Retry-After sets it (back-off does not): `run-once` skips the feed, and every
   * other feed on its host, until then unless given --force.
   */
  retryAfterUntil: number | null;
  itemsSeen: number;
  /** When a poll last discovered a new item (not its publication date, which may lie). */
  lastNewItemAt: number | null;
  /**
   * The feed's usual gap between items: from publication dates not in the future, else (no
   * dates, or all the same) from the times new items were discovered.
   */
  medianIntervalMs: number | null;
  /** The latest times a poll discovered new items ("t1,t2,...", oldest first, a few dozen). */
  discoveries: string | null;
  /**
   * The feed's own RSS <ttl> and sy:updatePeriod (in minutes) from the last full response.
   * Kept because most polls end in a 304, which carries no body to read them from.
   */
  ttlMinutes: number | null;
  updatePeriodMinutes: number | null;
  /** A 301/308 target seen on the previous poll; a second consecutive sighting moves the feed. */
  redirectCandidate: string | null;
  /** The config URL the feed was moved from; a config edit of the URL undoes the move. */
  movedFrom: string | null;
  /**
   * The feed a page named in its `<link rel="alternate">`, polled in place of the page; kept
   * while the config still names `discoveredFrom`, the URL it was found on.
   */
  discoveredUrl: string | null;
  discoveredFrom: string | null;
  /** Which item identity the feed uses (guid, link or hash), for normalize's hysteresis. */
  identity: string | null;
  /** How many items the last document listed, when more than defaults.maxItems (only the newest were kept). */
  itemsOverCap: number | null;
  disabled: string | null;
  /** Which health notice was last sent (failing/silent/ok), so each state change notifies once. */
  noticeState: string | null;
}

/** The two fields that decide whether a feed is due. */
export type FeedSchedule = Pick<FeedState, "nextPollAt" | "disabled">;

const NUMBER_FIELDS = new Set<keyof FeedState>([
  "polls",
  "lastPollAt",
  "lastSuccessAt",
  "lastErrorAt",
  "consecutiveErrors",
  "consecutiveHolds",
  "nextPollAt",
  "retryAfterUntil",
  "itemsSeen",
  "lastNewItemAt",
  "medianIntervalMs",
  "ttlMinutes",
  "updatePeriodMinutes",
  "itemsOverCap",
]);

export const EMPTY_FEED_STATE: FeedState = {
  url: null,
  etag: null,
  lastModified: null,
  polls: 0,
  lastPollAt: null,
  lastSuccessAt: null,
  lastErrorAt: null,
  lastError: null,
  errorCategory: null,
  consecutiveErrors: 0,
  consecutiveHolds: 0,
  nextPollAt: null,
  retryAfterUntil: null,
  itemsSeen: 0,
  lastNewItemAt: null,
  medianIntervalMs: null,
  discoveries: null,
  ttlMinutes: null,
  updatePeriodMinutes: null,
  redirectCandidate: null,
  movedFrom: null,
  discoveredUrl: null,
  discoveredFrom: null,
  identity: null,
  itemsOverCap: null,
  disabled: null,
  noticeState: null,
};

// ARGV[1] "" stands for "no next poll stored yet" (HGET answers false then).
const MOVE_DUE = `
local current = redis.call('HGET', KEYS[1], 'nextPollAt') or ''
if current ~= ARGV[1] then return current end
redis.call('HSET', KEYS[1], 'nextPollAt', ARGV[2])
return ARGV[2]`;

/** Feed state as one Redis hash per feed: readable with redis-cli, updated field by field. */
export class FeedStateStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async get(feedId: string): Promise<FeedState> {
    return decode(await this.redis.hgetall(this.keys.feedState(feedId)));
  }

  async getMany(feedIds: string[]): Promise<Map<string, FeedState>> {
    const pipeline = this.redis.pipeline();
    for (const id of feedIds) pipeline.hgetall(this.keys.feedState(id));
    const results = (await pipeline.exec()) ?? [];
    return new Map(
      feedIds.map((id, i) => [id, decode((results[i]?.[1] ?? {}) as Record<string, string>)]),
    );
  }

  /**
   * Only what the scheduler reads every tick, two fields per feed: at 10,000 feeds the whole
   * hashes would be ~20 fields each, six times a minute, for nothing.
   */
  async getSchedules(feedIds: string[]): Promise<Map<string, FeedSchedule>> {
    const pipeline = this.redis.pipeline();
    for (const id of feedIds) pipeline.hmget(this.keys.feedState(id), "nextPollAt", "disabled");
    const results = (await pipeline.exec()) ?? [];
    return new Map(
      feedIds.map((id, i) => {
        const [next, disabled] = (results[i]?.[1] ?? [null, null]) as (string | null)[];
        return [
          id,
          { nextPollAt: next === null ? null : Number(next), disabled: disabled ?? null },
        ];
      }),
    );
  }

  /**
   * Moves a feed's next poll from `from` (null: none stored yet, a never-polled feed) to `to`
   * unless another scheduler moved it first (a compare-and-set in one Lua call), and returns
   * the one stored: every scheduler then builds the same poll job id, however their start
   * times differ.
   */
  async moveDue(feedId: string, from: number | null, to: number): Promise<number> {
    const stored = await this.redis.eval(
      MOVE_DUE,
      1,
      this.keys.feedState(feedId),
      from === null ? "" : String(from),
      String(to),
    );
    // "" (the field vanished meanwhile) is no due time: keep ours, as HSETNX would have.
    return stored === null || stored === "" ? to : Number(stored);
  }

  /** Writes the given fields; null removes a field. */
  async update(feedId: string, changes: Partial<FeedState>): Promise<void> {
    await writeHashFields(this.redis, this.keys.feedState(feedId), changes);
  }

  async incrementItemsSeen(feedId: string, by: number): Promise<void> {
    if (by > 0) await this.redis.hincrby(this.keys.feedState(feedId), "itemsSeen", by);
  }
}

function decode(hash: Record<string, string>): FeedState {
  const state: Record<string, unknown> = { ...EMPTY_FEED_STATE };
  for (const [field, value] of Object.entries(hash)) {
    if (!(field in EMPTY_FEED_STATE)) continue;
    state[field] = NUMBER_FIELDS.has(field as keyof FeedState) ? Number(value) : value;
  }
  return state as unknown as FeedState;
}
