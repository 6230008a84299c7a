import { canonicalUrl, titleFingerprint } from "../dedupe/story-key.ts";
import type { AlsoReported } from "../model/alert.ts";
import type { FeedItem, FeedRef } from "../model/item.ts";
import type { RedisClient } from "../queue/connection.ts";
import type { Keys } from "../queue/names.ts";
import { shortHash } from "./hash.ts";

/**
 * How long a story stays open for "also reported by" (wire copies arrive within days), and
 * how long its alerts are remembered as routed.
 */
export const STORY_TTL_MS = 7 * 86_400_000;

export interface StoryResolution {
  storyId: string;
  /** True when this item opened the story (it was not seen from another source first). */
  first: boolean;
  /** The other sources that carried it, first one first. */
  alsoReportedBy: AlsoReported[];
}

/** Groups items from different feeds into stories through shared URL and title keys in Redis. */
export class StoryStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async resolve(item: FeedItem, feed: FeedRef): Promise<StoryResolution> {
    const ownId = shortHash(`${item.feedId}\n${item.id}`);
    const url = item.link ? canonicalUrl(item.link) : null;
    const title = titleFingerprint(item.title);
    const storyKeys = [
      url ? this.keys.storyByUrl(shortHash(url)) : null,
      title ? this.keys.storyByTitle(shortHash(title)) : null,
    ].filter((k): k is string => k !== null);

    // Claim every free key first (SET NX GET: atomic against another feed's poll carrying the
    // same story), then point every key at the story found: keys stay transitive, so a third
    // outlet sharing only the second outlet's URL joins the first outlet's story.
    const claims = this.redis.pipeline();
    for (const key of storyKeys) claims.set(key, ownId, "PX", STORY_TTL_MS, "NX", "GET");
    const owners = ((await claims.exec()) ?? []).map(([err, owner]) => {
      if (err) throw err;
      return (owner as string | null) ?? ownId;
    });
    const storyId = owners.find((owner) => owner !== ownId) ?? ownId;
    const repoint = this.redis.pipeline();
    storyKeys.forEach((key, i) => {
      if (owners[i] !== storyId) repoint.set(key, storyId, "PX", STORY_TTL_MS);
    });
    if (repoint.length > 0) await repoint.exec();
    const source: AlsoReported = {
      feedId: feed.id,
      feedTitle: feed.title,
      title: item.title,
      link: item.link,
    };
    const sourcesKey = this.keys.storySources(storyId);
    const sources = await this.redis.lrange(sourcesKey, 0, -1);
    const parsed = sources.map((s) => JSON.parse(s) as AlsoReported);
    const already = parsed.some((s) => s.feedId === feed.id);
    if (!already) {
      await this.redis
        .multi()
        .rpush(sourcesKey, JSON.stringify(source))
        .pexpire(sourcesKey, STORY_TTL_MS)
        .exec();
    }
    return {
      storyId,
      first: storyId === ownId,
      alsoReportedBy: parsed.filter((s) => s.feedId !== feed.id),
    };
  }
}
