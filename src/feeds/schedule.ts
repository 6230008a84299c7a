import type { CacheHints } from "./response-headers.ts";

export interface PollTiming {
  /** The feed's configured interval: the fastest it is polled while all is well. */
  everyMs: number;
  /** Bounds for everything but Retry-After. Defaults elsewhere: 5 min and 24 h. */
  minMs: number;
  maxMs: number;
  cache: CacheHints;
  ttlMinutes: number | null;
  updatePeriodMinutes: number | null;
  /** Median time between the feed's recent items, when enough are known. */
  medianPublishIntervalMs: number | null;
  consecutiveErrors: number;
  /** The last error will not go away on its own soon (a 404, a blocked address, a body over the cap). */
  permanentError: boolean;
  retryAfterMs: number | null;
  now: number;
  random?: () => number;
}

/**
 * Share of the observed publishing interval we wait between polls. With 1/4 a feed posting
 * hourly is polled every 15 minutes and one posting weekly about every 42 hours (so at the
 * 24 h cap): the trade-off is that a weekly feed's rare item can reach subscribers up to a day
 * late, in exchange for not asking that publisher 2,000 times for nothing.
 */
const PUBLISH_INTERVAL_SHARE = 1 / 4;

/** Retry-After beyond this is treated as a mistake on the publisher's side. */
const MAX_RETRY_AFTER_MS = 7 * 24 * 3_600_000;

/**
 * When to poll a feed next, as a delay from `now`. The rule, in order:
 *   1. start from the configured interval;
 *   2. the publisher's freshness hints only ever slow us down: Cache-Control max-age, Expires,
 *      RSS <ttl> and sy:updatePeriod each say "nothing new before then", and the largest wins;
 *   3. so does the observed rhythm: a quarter of the median publishing interval;
 *   4. clamp to [min, max] (a publisher asking for a week still gets polled daily, one asking
 *      for 10 seconds is polled no faster than the minimum);
 *   5. after consecutive errors, back off exponentially from that healthy delay (doubling per
 *      error, up to max) with "equal jitter" (a random point in the upper half), so feeds that
 *      failed together do not all retry together; but never sooner than the healthy delay:
 *      an error (a 429 or 503 above all) is no reason to ask a publisher more often than when
 *      all is well; an error that will not go away on its own soon (a 404, a blocked address,
 *      a body over the cap) goes straight to the slowest back-off, max;
 *   6. never before Retry-After, even beyond max (up to a week).
 */
export function nextPollDelayMs(t: PollTiming): number {
  const random = t.random ?? Math.random;
  const healthy = healthyDelayMs(t);
  let delay = healthy;
  if (t.consecutiveErrors > 0) {
    const backoff = t.permanentError
      ? Math.max(t.minMs, t.maxMs)
      : clamp(healthy * 2 ** Math.min(t.consecutiveErrors - 1, 30), t.minMs, t.maxMs);
    delay = Math.max(healthy, backoff / 2 + (backoff / 2) * random());
  }
  if (t.retryAfterMs !== null && t.retryAfterMs > 0) {
    delay = Math.max(delay, Math.min(t.retryAfterMs, MAX_RETRY_AFTER_MS));
  }
  return Math.round(delay);
}

/** Steps 1–4: the delay while the feed answers normally. */
function healthyDelayMs(t: PollTiming): number {
  const hints = [
    t.cache.maxAgeSeconds !== null ? t.cache.maxAgeSeconds * 1000 : 0,
    t.cache.expiresAt ? Date.parse(t.cache.expiresAt) - t.now : 0,
    (t.ttlMinutes ?? 0) * 60_000,
    (t.updatePeriodMinutes ?? 0) * 60_000,
    (t.medianPublishIntervalMs ?? 0) * PUBLISH_INTERVAL_SHARE,
  ].filter((ms) => Number.isFinite(ms));
  return clamp(Math.max(t.everyMs, ...hints), t.minMs, t.maxMs);
}

function clamp(ms: number, min: number, max: number): number {
  return Math.min(Math.max(ms, min), Math.max(min, max));
}
