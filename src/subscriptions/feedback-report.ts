import type { FeedbackStore, FeedbackVote } from "../store/feedback.ts";
import { RECENT_WINDOW_MS, type RecentItem } from "../store/recent-items.ts";
import { type ProposedExclusion, proposeExclusions } from "./exclusions.ts";

export const FEEDBACK_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

/** One watchlist's votes over the last 30 days, its precision, and the exclusions they suggest. */
export interface FeedbackReport {
  watchlistId: string;
  /** Alerts discovered since this time count. */
  since: string;
  counts: { useful: number; notRelevant: number };
  /** useful / (useful + not relevant); null without votes. */
  precision: number | null;
  /** Newest alert first; the stored text is left out. */
  votes: Omit<FeedbackVote, "text">[];
  proposedExclusions: ProposedExclusion[];
}

export async function feedbackReport(
  watchlist: { id: string; query: string; stemming: boolean },
  deps: {
    feedback: Pick<FeedbackStore, "list">;
    recent(since: number): Promise<RecentItem[]>;
    lists: Record<string, string[]>;
    now: number;
  },
): Promise<FeedbackReport> {
  const since = deps.now - FEEDBACK_WINDOW_DAYS * DAY_MS;
  const votes = await deps.feedback.list(watchlist.id, since, deps.now);
  const useful = votes.filter((v) => v.vote === "useful").length;
  const notRelevant = votes.length - useful;
  const needsItems = notRelevant >= 2;
  const recent = needsItems ? await deps.recent(deps.now - RECENT_WINDOW_MS) : [];
  return {
    watchlistId: watchlist.id,
    since: new Date(since).toISOString(),
    counts: { useful, notRelevant },
    precision: votes.length === 0 ? null : useful / votes.length,
    votes: votes.map(({ text: _text, ...rest }) => rest),
    proposedExclusions: needsItems
      ? proposeExclusions(votes, watchlist, deps.lists, recent, deps.now)
      : [],
  };
}
