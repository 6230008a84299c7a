import type { FeedState } from "../store/feed-state.ts";

export type FeedHealth = "ok" | "failing" | "silent" | "held" | "disabled" | "pending";

/** Display order (the Sources page, `newswatch feeds`): what needs a person first. */
export const HEALTH_ORDER: Record<FeedHealth, number> = {
  failing: 0,
  silent: 1,
  pending: 2,
  held: 3,
  ok: 4,
  disabled: 5,
};

const DAY_MS = 86_400_000;
const MIN_POLLS_FOR_SILENCE = 3;

/**
 * How long without a new item counts as silent: five times the feed's usual gap between
 * items, and never less than a day, so a feed that posts every few minutes is flagged after
 * a quiet day while a weekly one is left alone for five weeks.
 */
export function silenceThresholdMs(medianIntervalMs: number | null): number | null {
  if (medianIntervalMs === null || medianIntervalMs <= 0) return null;
  return Math.max(5 * medianIntervalMs, DAY_MS);
}

/**
 * Classifies a feed from its state; "failing" needs `failAfter` consecutive errors (1 for
 * display: the last poll failed; the notice threshold for telling the admin). The threshold
 * holds for a feed that has never succeeded too: a new feed added during a network blip is
 * no reason to tell the admin, then tell them again that it recovered.
 */
export function feedHealth(state: FeedState, failAfter: number, now: number): FeedHealth {
  if (state.disabled) return "disabled";
  if (state.consecutiveErrors >= failAfter) return "failing";
  // The publisher asked for a pause (429/503 with Retry-After) that has not passed yet.
  if (state.retryAfterUntil !== null && state.retryAfterUntil > now) return "held";
  if (state.lastSuccessAt === null) return "pending";
  // Silence is judged only after a few polls: a first look at a feed says little about its rhythm.
  if (state.polls < MIN_POLLS_FOR_SILENCE) return "ok";
  const threshold = silenceThresholdMs(state.medianIntervalMs);
  if (threshold !== null && state.lastNewItemAt !== null && now - state.lastNewItemAt > threshold)
    return "silent";
  return "ok";
}
