import type { FeedConfig } from "../config/schema.ts";
import type { FeedState } from "../store/feed-state.ts";

export type FeedHealth = "failing" | "silent" | "ok" | "pending" | "disabled";

/** Order on the Sources page: what needs a person first. */
export const HEALTH_ORDER: Record<FeedHealth, number> = {
  failing: 0,
  silent: 1,
  pending: 2,
  ok: 3,
  disabled: 4,
};

const DAY_MS = 86_400_000;

/**
 * A feed is silent when it answers but has published nothing for much longer than its
 * usual rhythm: five median gaps between its items, and never less than two days (a
 * weekly newsletter is not silent on day three).
 */
export function silentAfterMs(state: FeedState): number {
  return Math.max(2 * DAY_MS, 5 * (state.medianIntervalMs ?? 0));
}

export function feedHealth(feed: FeedConfig, state: FeedState, now: number): FeedHealth {
  if (!feed.enabled || state.disabled) return "disabled";
  if (state.consecutiveErrors > 0) return "failing";
  if (state.lastSuccessAt === null) return "pending";
  const lastNews = state.lastNewItemAt ?? state.lastSuccessAt;
  if (now - lastNews > silentAfterMs(state)) return "silent";
  return "ok";
}
