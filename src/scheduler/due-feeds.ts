import type { FeedConfig } from "../config/schema.ts";
import type { FeedSchedule } from "../store/feed-state.ts";
import { stableOffsetMs } from "./stable-offset.ts";

/**
 * When a feed is next due. The persisted next-poll time wins, so a restart does not cause a
 * burst of polls; a feed never polled gets a stable offset within the first-poll spread, and
 * so does one whose next poll passed more than its interval (and the spread window) before
 * this scheduler started:
 * after a long outage every feed is overdue, and polling them all in the first tick would be
 * the very burst the spread exists to avoid. A feed overdue by less keeps its time: it is
 * one of the few that came due during a short restart.
 */
export function dueAt(
  feed: FeedConfig,
  state: FeedSchedule,
  startedAt: number,
  spreadMs: number,
  everyMs: number,
): number {
  const spread = startedAt + stableOffsetMs(feed.id, spreadMs);
  if (state.nextPollAt === null) return spread;
  // Overdue by less than the spread window itself, it is due now: spreading would only delay it.
  if (startedAt - state.nextPollAt > Math.max(everyMs, spreadMs)) return spread;
  return state.nextPollAt;
}
