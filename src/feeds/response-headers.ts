import type { IncomingHttpHeaders } from "node:http";

/** Freshness the publisher announced for the response (RFC 9111 §5.2.2.1 and §5.3). */
export interface CacheHints {
  /** Cache-Control max-age in seconds; null when absent or when no-cache/no-store forbid reuse. */
  maxAgeSeconds: number | null;
  /** The Expires header as ISO 8601; null when absent or not a valid HTTP date. */
  expiresAt: string | null;
}

export const NO_CACHE_HINTS: CacheHints = { maxAgeSeconds: null, expiresAt: null };

export function cacheHints(headers: IncomingHttpHeaders): CacheHints {
  return { maxAgeSeconds: maxAge(headers["cache-control"]), expiresAt: expires(headers.expires) };
}

function maxAge(value: string | undefined): number | null {
  if (!value) return null;
  const directives = value
    .toLowerCase()
    .split(",")
    .map((d) => d.trim());
  // no-cache and no-store say nothing about how often the content changes; they only forbid
  // reuse. Treat them as "no hint" so the feed's own ttl or publishing rhythm decides.
  if (directives.some((d) => d === "no-cache" || d === "no-store")) return null;
  for (const d of directives) {
    const m = /^max-age\s*=\s*"?(\d+)"?$/.exec(d);
    if (m?.[1]) return Number(m[1]);
  }
  return null;
}

function expires(value: string | undefined): string | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}
