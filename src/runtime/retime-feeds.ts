import { type Config, feedEveryMs, feedMinIntervalMs } from "../config/schema.ts";
import type { FeedStateStore } from "../store/feed-state.ts";

/**
 * A reload that shortens a feed's `every` brings its next poll forward to one new interval
 * after its last poll. The stored next-poll time was planned with the old interval and would
 * otherwise hold until it came round: a feed moved from 24h to 5m would wait a day. Feeds in
 * error back-off keep their schedule (it may honour a publisher's Retry-After), unless their
 * URL changed: a corrected URL is a different request, polled now rather than after the slow
 * back-off its old address earned.
 */
export async function pullForwardRetimedFeeds(
  before: Config,
  after: Config,
  feedStates: FeedStateStore,
  nowMs = Date.now(),
): Promise<string[]> {
  const everyOf = (c: Config, id: string) => {
    const feed = c.feeds.find((f) => f.id === id);
    return feed
      ? Math.max(feedEveryMs(feed, c.defaults), feedMinIntervalMs(feed, c.defaults))
      : null;
  };
  const moved: string[] = [];
  for (const feed of after.feeds) {
    const old = before.feeds.find((f) => f.id === feed.id);
    if (old && old.url !== feed.url) {
      await feedStates.update(feed.id, { nextPollAt: nowMs });
      moved.push(feed.id);
      continue;
    }
    const was = everyOf(before, feed.id);
    const now = everyOf(after, feed.id);
    if (was === null || now === null || now >= was) continue;
    const state = await feedStates.get(feed.id);
    if (state.lastPollAt === null || state.nextPollAt === null || state.consecutiveErrors > 0)
      continue;
    const sooner = state.lastPollAt + now;
    if (sooner < state.nextPollAt) {
      await feedStates.update(feed.id, { nextPollAt: sooner });
      moved.push(feed.id);
    }
  }
  return moved;
}
