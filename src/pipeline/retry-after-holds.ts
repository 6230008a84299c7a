import type { FeedConfig } from "../config/schema.ts";
import type { HostGate } from "../feeds/host-gate.ts";
import type { FeedStateStore } from "../store/feed-state.ts";
import { currentUrl } from "./record-poll.ts";

/**
 * Tells the host gate about every Retry-After still running in the stored feed states, so a
 * feed is held back by its own and by any other feed's of the same host. The gate lives in
 * process memory: `run-once` and every poll worker seed it at start, or a restart would forget
 * that a publisher asked for quiet. Returns each feed's host (where it is fetched now: a
 * permanent move counts).
 */
export async function holdStoredRetryAfter(
  feeds: FeedConfig[],
  feedStates: FeedStateStore,
  hostGate: HostGate,
): Promise<(feed: FeedConfig) => string> {
  const states = await feedStates.getMany(feeds.map((f) => f.id));
  const hosts = new Map<string, string>();
  for (const feed of feeds) {
    const state = states.get(feed.id);
    const host = new URL(state ? currentUrl(feed, state) : feed.url).host;
    hosts.set(feed.id, host);
    if (state?.retryAfterUntil) hostGate.holdUntil(host, state.retryAfterUntil);
  }
  return (feed) => hosts.get(feed.id) ?? new URL(feed.url).host;
}
