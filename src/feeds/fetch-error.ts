/** What went wrong with a feed, as the feed's health record and the run summary show it. */
export type FetchErrorCategory =
  | "dns"
  | "tls"
  | "timeout"
  | "connect"
  | "http"
  | "too-large"
  | "blocked"
  | "redirect"
  | "not-a-feed"
  | "parse"
  /** A page read without a feed (kind html, telegram) where nothing expected was found. */
  | "layout";

export interface FetchErrorOptions {
  status?: number;
  retryAfterMs?: number;
  /**
   * Whether a later poll may succeed without anyone changing the config. Timeouts, DNS,
   * connection trouble, 5xx, 408 and 429 are; a 404, a blocked address or a body over the
   * cap are not: the feed is still polled, but at the slowest back-off (`maxInterval`), since
   * such errors rarely fix themselves within minutes (see nextPollDelayMs).
   */
  retryable?: boolean;
  cause?: unknown;
}

/**
 * A failed fetch or parse. The category is what a person fixing the feed needs first; the
 * message says the rest (status, address, limit). `gone` marks a 410: the publisher says the
 * feed will not come back, so the caller disables it.
 */
export class FetchError extends Error {
  readonly category: FetchErrorCategory;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly retryable: boolean;
  readonly gone: boolean;

  constructor(category: FetchErrorCategory, message: string, opts: FetchErrorOptions = {}) {
    super(message, { cause: opts.cause });
    this.name = "FetchError";
    this.category = category;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
    this.retryable = opts.retryable ?? defaultRetryable(category);
    this.gone = opts.status === 410;
  }
}

/**
 * Network trouble passes. So, often, does a bad document: a maintenance page served as HTML or
 * a feed cut off mid-write is gone by the next poll, and a day's wait would miss the news.
 */
const RETRYABLE_CATEGORIES = new Set<FetchErrorCategory>([
  "dns",
  "timeout",
  "connect",
  "tls",
  "not-a-feed",
  "parse",
  "layout",
]);

function defaultRetryable(category: FetchErrorCategory): boolean {
  return RETRYABLE_CATEGORIES.has(category);
}
