import type { Alert } from "../model/alert.ts";
import type { RedisClient } from "../queue/connection.ts";
import type { Vote } from "../subscriptions/tokens.ts";
import type { Keys } from "./keys.ts";

/** What a vote is about: enough of the alert to list it, and its text for suggestions. */
export interface FeedbackSubject {
  alertId: string;
  watchlistId: string;
  subscriberId: string;
  title: string;
  link: string | null;
  feed: { id: string; title: string };
  published: string | null;
  /** When the alert's item was discovered: the 30-day windows count from this. */
  alertAt: string;
  /** The start of the item's text: what `suggest` and the proposed exclusions read. */
  text: string;
}

export interface FeedbackVote extends FeedbackSubject {
  vote: Vote;
  votedAt: string;
}

/** Feedback links work while the alert's subject is kept; the editor looks back 30 days. */
const SUBJECT_TTL_SECONDS = 35 * 86_400;
/** Votes older than this (by their alert's time) are dropped when the list is read. */
const VOTE_RETENTION_MS = 180 * 86_400_000;
/** The lede is what tells a relevant story from a look-alike; the rest is the article's. */
const SUBJECT_TEXT_CHARS = 1000;
const TITLE_CHARS = 500;

/** The subject of an alert's feedback links, from the alert as it is sent. */
export function subjectOf(alert: Alert): FeedbackSubject {
  return {
    alertId: alert.id,
    watchlistId: alert.watchlist.id,
    subscriberId: alert.subscriberId,
    title: alert.item.title.slice(0, TITLE_CHARS),
    link: alert.item.link,
    feed: { id: alert.item.feed.id, title: alert.item.feed.title || alert.item.feed.id },
    published: alert.item.published,
    alertAt: alert.discoveredAt,
    text: alert.item.text.slice(0, SUBJECT_TEXT_CHARS),
  };
}

/**
 * Relevance votes, per watchlist and alert: one hash per watchlist whose fields are alert
 * ids, so a changed vote replaces the earlier one and listing a watchlist is one read.
 */
export class FeedbackStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  /** Called as an alert is sent, so its links can record a vote with its title and time. */
  async rememberAlert(alert: Alert): Promise<void> {
    await this.redis.set(
      this.keys.feedbackAlert(alert.id),
      JSON.stringify(subjectOf(alert)),
      "EX",
      SUBJECT_TTL_SECONDS,
    );
  }

  async subject(alertId: string): Promise<FeedbackSubject | null> {
    const raw = await this.redis.get(this.keys.feedbackAlert(alertId));
    return raw ? (JSON.parse(raw) as FeedbackSubject) : null;
  }

  async voteOf(watchlistId: string, alertId: string): Promise<FeedbackVote | null> {
    const raw = await this.redis.hget(this.keys.feedbackVotes(watchlistId), alertId);
    return raw ? (JSON.parse(raw) as FeedbackVote) : null;
  }

  /** Records (or changes) the vote on one alert. */
  async record(subject: FeedbackSubject, vote: Vote, at: Date): Promise<FeedbackVote> {
    const record: FeedbackVote = { ...subject, vote, votedAt: at.toISOString() };
    await this.redis.hset(
      this.keys.feedbackVotes(subject.watchlistId),
      subject.alertId,
      JSON.stringify(record),
    );
    return record;
  }

  /** A watchlist's votes on alerts since `since` (ms), newest alert first. */
  async list(watchlistId: string, since: number, now: number): Promise<FeedbackVote[]> {
    const key = this.keys.feedbackVotes(watchlistId);
    const all = Object.values(await this.redis.hgetall(key)).map(
      (raw) => JSON.parse(raw) as FeedbackVote,
    );
    const expired = all.filter((v) => Date.parse(v.alertAt) < now - VOTE_RETENTION_MS);
    if (expired.length > 0) await this.redis.hdel(key, ...expired.map((v) => v.alertId));
    return all
      .filter((v) => Date.parse(v.alertAt) >= since)
      .sort((a, b) => Date.parse(b.alertAt) - Date.parse(a.alertAt));
  }
}
