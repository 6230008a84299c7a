import type { RedisClient } from "../queue/connection.ts";
import type { Keys } from "../queue/names.ts";
import type { FeedbackSubject, Vote } from "../subscriptions/tokens.ts";

/** Votes are kept this long: the watchlist editor looks at the last 30 days. */
const KEEP_SECONDS = 90 * 86_400;

export interface FeedbackVote extends FeedbackSubject {
  vote: Vote;
  at: string;
}

/**
 * Relevance votes, one Redis hash per watchlist (alert id → vote): one vote per alert, which
 * a second vote replaces (a person may change their mind).
 */
export class FeedbackStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async record(subject: FeedbackSubject, vote: Vote, at: Date): Promise<void> {
    const key = this.keys.feedback(subject.watchlistId);
    const value: FeedbackVote = { ...subject, vote, at: at.toISOString() };
    await this.redis
      .multi()
      .hset(key, subject.alertId, JSON.stringify(value))
      .expire(key, KEEP_SECONDS)
      .exec();
  }

  /** A watchlist's votes, newest first. */
  async list(watchlistId: string): Promise<FeedbackVote[]> {
    const all = Object.values(await this.redis.hgetall(this.keys.feedback(watchlistId))).map(
      (raw) => JSON.parse(raw) as FeedbackVote,
    );
    return all.sort((a, b) => b.at.localeCompare(a.at));
  }
}
