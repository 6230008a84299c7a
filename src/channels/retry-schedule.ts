const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Wait before retry n (index n-1), after the first attempt failed. This is the Standard Webhooks
 * schedule (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: about 27 hours in all), with
 * "immediately" as one second so a receiver that fails fast is not hammered in a tight loop.
 * Email uses it too: an SMTP 4xx greylisting or a full mailbox clears on the same time scale.
 */
const RETRY_DELAYS_MS = [
  1 * SECOND,
  5 * SECOND,
  5 * MINUTE,
  30 * MINUTE,
  2 * HOUR,
  5 * HOUR,
  10 * HOUR,
  10 * HOUR,
] as const;

/** The first attempt plus one retry per entry of the schedule. */
export const DELIVERY_MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** Spread retries by ±20% so endpoints that failed together do not all come back at once. */
const JITTER = 0.2;

/**
 * How long to wait before the next delivery attempt, for a BullMQ custom backoff strategy.
 * `attemptsMade` counts the attempts that already failed (1 after the first failure). The
 * result is never less than the receiver's Retry-After.
 */
export function deliveryRetryDelayMs(
  attemptsMade: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const index = Math.min(Math.max(Math.floor(attemptsMade), 1), RETRY_DELAYS_MS.length) - 1;
  const base: number = RETRY_DELAYS_MS[index] ?? 10 * HOUR;
  const jittered = Math.round(base * (1 - JITTER + 2 * JITTER * random()));
  return Math.max(jittered, Math.ceil(retryAfterMs ?? 0));
}
