import {
  learn,
  NOTHING_KNOWN,
  type StoryKnowledge,
  whatChanged,
} from "../dedupe/incident-changes.ts";
import {
  bestIncident,
  DEFAULT_GROUPING,
  type IncidentProfile,
  profileOf,
  withReport,
} from "../dedupe/incident-match.ts";
import { type IncidentSignature, signatureOf } from "../dedupe/incident-signature.ts";
import { builtInVocabulary, type IncidentVocabulary } from "../dedupe/incident-vocabulary.ts";
import { canonicalUrl, titleFingerprint } from "../dedupe/story-key.ts";
import type { AlsoReported } from "../model/alert.ts";
import type { FeedItem, FeedRef } from "../model/item.ts";
import type { RedisClient } from "../queue/connection.ts";
import { shortHash } from "./hash.ts";
import type { Keys } from "./keys.ts";

/**
 * How long a story stays open for "also reported by" (wire copies arrive within days), and
 * how long its alerts are remembered as routed.
 */
export const STORY_TTL_MS = 7 * 86_400_000;

/** Candidate stories read per place or name: the newest within the window. */
const CANDIDATES_PER_TERM = 30;

/** One report kept on a story: who carried it, when, and what it added. */
export interface StoryReport extends AlsoReported {
  itemId: string;
  published: string | null;
  discoveredAt: string;
  /** The feed's group, else its host: outlets of one owner count once. */
  owner: string;
  /** What it added to the reports before it (empty for the first, or a repeat). */
  changes: string[];
}

export interface StoryResolution {
  storyId: string;
  /** True when this item opened the story (it was not seen from another source first). */
  first: boolean;
  /** The other sources that carried it, one per feed, first one first. */
  alsoReportedBy: AlsoReported[];
  /** Every report of the story so far, this one included, in arrival order. */
  reports: StoryReport[];
  /** What this report adds to the earlier ones. */
  changes: string[];
  /** Independent outlets so far (a feed group or a host counts once). */
  outlets: number;
}

interface StoredProfile {
  profile: IncidentProfile;
  known: StoryKnowledge;
}

export interface StoryStoreOptions {
  /** @defaultValue 12 hours */
  windowMs?: number;
  /** @defaultValue the built-in vocabulary */
  vocabulary?: IncidentVocabulary;
}

/**
 * Groups reports into stories in Redis. Copies of one text join through shared URL and title
 * keys; reports in other words join the story they agree with on what happened and where
 * (src/dedupe/incident-match.ts), found through per-place and per-name indexes of open stories.
 * Every report is kept on its story, so updates and digests can say who carried it and what
 * changed.
 */
export class StoryStore {
  private readonly windowMs: number;
  private readonly vocabulary: IncidentVocabulary;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    options: StoryStoreOptions = {},
  ) {
    this.windowMs = options.windowMs ?? DEFAULT_GROUPING.windowMs;
    this.vocabulary = options.vocabulary ?? builtInVocabulary();
  }

  async resolve(
    item: FeedItem,
    feed: FeedRef,
    discoveredAt: Date = new Date(),
  ): Promise<StoryResolution> {
    const ownId = shortHash(`${item.feedId}\n${item.id}`);
    const signature = signatureOf(
      { title: item.title, text: item.text, at: reportTime(item, discoveredAt) },
      this.vocabulary,
    );
    const exactKeys = this.exactKeys(item);
    const exact = await this.claimExact(exactKeys, ownId);
    const storyId = exact ?? (await this.similarStory(signature)) ?? ownId;
    const repoint = this.redis.pipeline();
    for (const key of exactKeys) repoint.set(key, storyId, "PX", STORY_TTL_MS);
    await repoint.exec();

    const stored = await this.profile(storyId);
    const reportsKey = this.keys.storySources(storyId);
    const earlier = (await this.redis.lrange(reportsKey, 0, -1)).map(
      (s) => JSON.parse(s) as StoryReport,
    );
    const repeat = earlier.find((r) => r.feedId === feed.id && r.itemId === item.id);
    const changes = !stored || repeat ? [] : whatChanged(stored.known, signature);
    const report: StoryReport = repeat ?? {
      feedId: feed.id,
      feedTitle: feed.title,
      title: item.title,
      link: item.link,
      itemId: item.id,
      published: item.published,
      discoveredAt: discoveredAt.toISOString(),
      owner: ownerOf(feed),
      changes,
    };
    if (!repeat) {
      await this.saveReport(storyId, stored, signature, report);
      earlier.push(report);
    }
    return {
      storyId,
      first: storyId === ownId,
      alsoReportedBy: otherOutlets(earlier, feed.id),
      reports: earlier,
      changes,
      outlets: independentOutlets(earlier),
    };
  }

  /** The reports of a story, in arrival order (empty once it expired). */
  async reports(storyId: string): Promise<StoryReport[]> {
    const raw = await this.redis.lrange(this.keys.storySources(storyId), 0, -1);
    return raw.map((s) => JSON.parse(s) as StoryReport);
  }

  private exactKeys(item: FeedItem): string[] {
    const url = item.link ? canonicalUrl(item.link) : null;
    const title = titleFingerprint(item.title);
    return [
      url ? this.keys.storyByUrl(shortHash(url)) : null,
      title ? this.keys.storyByTitle(shortHash(title)) : null,
    ].filter((k): k is string => k !== null);
  }

  /**
   * Claims every free exact key (SET NX GET: atomic against another feed's poll carrying the
   * same copy) and returns the story an existing key already names, if any.
   */
  private async claimExact(keys: string[], ownId: string): Promise<string | null> {
    const claims = this.redis.pipeline();
    for (const key of keys) claims.set(key, ownId, "PX", STORY_TTL_MS, "NX", "GET");
    const owners = ((await claims.exec()) ?? []).map(([err, owner]) => {
      if (err) throw err;
      return (owner as string | null) ?? ownId;
    });
    return owners.find((owner) => owner !== ownId) ?? null;
  }

  /** The open story this report agrees with on what happened and where, if any. */
  private async similarStory(signature: IncidentSignature): Promise<string | null> {
    const terms = termsOf(signature);
    const lookups = this.redis.pipeline();
    for (const term of terms)
      lookups.zrange(
        this.keys.storiesByTerm(shortHash(term)),
        String(signature.at + this.windowMs),
        String(signature.at - this.windowMs),
        "BYSCORE",
        "REV",
        "LIMIT",
        0,
        CANDIDATES_PER_TERM,
      );
    const ids = new Set<string>();
    for (const [err, found] of (await lookups.exec()) ?? []) {
      if (err) throw err;
      for (const id of found as string[]) ids.add(id);
    }
    if (ids.size === 0) return null;
    const candidates: { id: string; profile: IncidentProfile }[] = [];
    const profiles = await this.redis.mget(...[...ids].map((id) => this.keys.storyProfile(id)));
    [...ids].forEach((id, i) => {
      const raw = profiles[i];
      if (raw) candidates.push({ id, profile: (JSON.parse(raw) as StoredProfile).profile });
    });
    return bestIncident(signature, candidates, { windowMs: this.windowMs })?.id ?? null;
  }

  private async profile(storyId: string): Promise<StoredProfile | null> {
    const raw = await this.redis.get(this.keys.storyProfile(storyId));
    return raw ? (JSON.parse(raw) as StoredProfile) : null;
  }

  /**
   * Files the report and folds it into the story's profile and indexes. Two polls adding to
   * one story at the same instant may each miss the other's profile change (a read-modify-
   * write, not a transaction): the reports list, which carries "also reported by", keeps both.
   */
  private async saveReport(
    storyId: string,
    stored: StoredProfile | null,
    signature: IncidentSignature,
    report: StoryReport,
  ): Promise<void> {
    const next: StoredProfile = {
      profile: stored ? withReport(stored.profile, signature) : profileOf(signature),
      known: learn(stored?.known ?? NOTHING_KNOWN, signature),
    };
    const reportsKey = this.keys.storySources(storyId);
    const tx = this.redis
      .multi()
      .rpush(reportsKey, JSON.stringify(report))
      .pexpire(reportsKey, STORY_TTL_MS)
      .set(this.keys.storyProfile(storyId), JSON.stringify(next), "PX", STORY_TTL_MS);
    for (const term of termsOf(signature)) {
      const key = this.keys.storiesByTerm(shortHash(term));
      tx.zadd(key, next.profile.firstAt, storyId)
        // Stories older than twice the window can no longer be joined: keep the index small.
        .zremrangebyscore(key, "-inf", signature.at - 2 * this.windowMs)
        .pexpire(key, 2 * this.windowMs + 86_400_000);
    }
    await tx.exec();
  }
}

/**
 * The report's own date, unless it is far from when we found it (a feed that dates every
 * item at midnight, or in the future): then the discovery time is the better guess.
 */
function reportTime(item: FeedItem, discoveredAt: Date): number {
  const found = discoveredAt.getTime();
  const published = item.published ? Date.parse(item.published) : Number.NaN;
  return Number.isFinite(published) && Math.abs(found - published) <= 2 * 86_400_000
    ? published
    : found;
}

/** Index terms: places and names; events only for a report that names no place. */
function termsOf(signature: IncidentSignature): string[] {
  const where = [
    ...signature.sites.map((s) => `p:${s}`),
    ...signature.areas.map((a) => `p:${a}`),
    ...signature.names.map((n) => `n:${n}`),
  ];
  return [...new Set(where.length > 0 ? where : signature.what.map((w) => `w:${w}`))];
}

/** The outlet's owner: its `group`, else the feed's host without `www.`. */
export function ownerOf(feed: FeedRef): string {
  if (feed.group) return `group:${feed.group}`;
  try {
    return new URL(feed.url).hostname.toLowerCase().replace(/^www\./, "");
  } catch {
    return `feed:${feed.id}`;
  }
}

function otherOutlets(reports: StoryReport[], feedId: string): AlsoReported[] {
  const seen = new Set<string>([feedId]);
  const out: AlsoReported[] = [];
  for (const r of reports) {
    if (seen.has(r.feedId)) continue;
    seen.add(r.feedId);
    out.push({ feedId: r.feedId, feedTitle: r.feedTitle, title: r.title, link: r.link });
  }
  return out;
}

export function independentOutlets(reports: readonly { owner: string }[]): number {
  return new Set(reports.map((r) => r.owner)).size;
}
