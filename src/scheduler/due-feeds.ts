import type { FeedConfig } from "../config/schema.ts";
import type { FeedState } from "../store/feed-state.ts";
import { stableOffsetMs } from "./stable-offset.ts";

/** A never-polled feed starts within this long (spread by its stable offset), so startup shows life. */
export const FIRST_POLL_SPREAD_MS = 60_000;

/**
 * When a feed is next due. The persisted next-poll time wins, so a restart does not cause a
 * burst of polls; a feed never polled gets a stable offset within the first minute.
 */
export function dueAt(feed: FeedConfig, state: FeedState, startedAt: number): number {
  if (state.nextPollAt !== null) return state.nextPollAt;
  return startedAt + stableOffsetMs(feed.id, FIRST_POLL_SPREAD_MS);
}
