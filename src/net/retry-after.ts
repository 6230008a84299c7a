const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Retry-After as a delay from `now` in milliseconds (RFC 9110 §10.2.3): delay-seconds or an
 * HTTP date; a date in the past means now (0), anything else undefined. Capped at `maxMs`: a
 * receiver may ask for a pause, but not park a delivery beyond its retry window (a day by
 * default; feeds pass their own ceiling).
 */
export function parseRetryAfter(
  value: string | undefined,
  now: number = Date.now(),
  maxMs: number = DAY_MS,
): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  let ms: number;
  if (/^\d+$/.test(trimmed)) ms = Number(trimmed) * 1000;
  else {
    // An HTTP date always names its weekday or month; this keeps "-5" from parsing as year -5.
    const date = /[A-Za-z]/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
    if (Number.isNaN(date)) return undefined;
    ms = Math.max(0, date - now);
  }
  return Math.min(ms, maxMs);
}
