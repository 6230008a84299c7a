import type { FeedConfig } from "../config/schema.ts";
import type { FeedSchedule } from "../store/feed-state.ts";
import { stableOffsetMs } from "./stable-offset.ts";

/**
 * When a feed is next due. The persisted next-poll time wins, so a restart does not cause a
 * burst of polls; a feed never polled gets a stable offset within the first-poll spread.
 */
export function dueAt(
  feed: FeedConfig,
  state: FeedSchedule,
  startedAt: number,
  spreadMs: number,
): number {
  if (state.nextPollAt !== null) return state.nextPollAt;
  return startedAt + stableOffsetMs(feed.id, spreadMs);
}
