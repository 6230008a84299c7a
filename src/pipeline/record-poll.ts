import { type FeedConfig, feedEveryMs, feedMinIntervalMs } from "../config/schema.ts";
import type { FetchResult } from "../feeds/fetch.ts";
import { FetchError } from "../feeds/fetch-error.ts";
import type { HostGate } from "../feeds/host-gate.ts";
import type { ParsedFeed } from "../feeds/parse.ts";
import { NO_CACHE_HINTS } from "../feeds/response-headers.ts";
import { nextPollDelayMs } from "../feeds/schedule.ts";
import type { Logger } from "../log.ts";
import type { FeedItem } from "../model/item.ts";
import type { Snapshot } from "../model/snapshot.ts";
import { feedMovedNotice, queueAdminNotice } from "../notices/admin-notices.ts";
import type { Enqueue } from "../queue/enqueue.ts";
import type { FeedState, FeedStateStore } from "../store/feed-state.ts";
import { addDiscovery, discoveryIntervalMs, medianIntervalMs } from "./publish-interval.ts";

// The last stage of a poll: what it leaves behind in the feed's state (validators, health,
// redirects and the time of the next poll), written once from the earlier stages' results.

/** What recording a poll needs: the feed states, the host gate and the admin's notices. */
export interface RecordDeps {
  snapshot(): Snapshot;
  now(): number;
  feedStates: FeedStateStore;
  hostGate: HostGate;
  /** Where the feed-moved notice is queued. */
  enqueue: Pick<Enqueue, "deliveries">;
  log: Logger;
}

/** A poll that fetched its feed, as the stages before left it. */
export interface SuccessfulPoll {
  feed: FeedConfig;
  /** The feed's state as the poll found it. */
  state: FeedState;
  fetched: FetchResult;
  /** Null for a 304: no body was parsed. */
  parsed: ParsedFeed | null;
  redirect: Partial<FeedState>;
  /** Every item the document listed (none for a 304). */
  items: FeedItem[];
  /** Alertable items left for the next poll. */
  deferred: number;
  newItems: number;
  /** A pushed feed (WebSub): poll at the slow end, but by the time its lease needs renewing. */
  pushRenewAt?: number | null;
}

/**
 * The URL polled now. A permanent move wins, then a feed found on the configured page; each
 * only while the config still names the URL it came from, so editing the url undoes both.
 */
export function currentUrl(feed: FeedConfig, state: FeedState): string {
  if (state.url && state.movedFrom === feed.url) return state.url;
  return discoveredUrl(feed, state) ?? feed.url;
}

/** The feed autodiscovery found on the configured page, while the config still names it. */
export function discoveredUrl(feed: FeedConfig, state: FeedState): string | null {
  return state.discoveredUrl && state.discoveredFrom === feed.url ? state.discoveredUrl : null;
}

export function followPermanentRedirect(
  feed: FeedConfig,
  state: FeedState,
  result: FetchResult,
  log: Logger,
): Partial<FeedState> {
  const target = result.permanentRedirect;
  if (!target) return { redirectCandidate: null };
  // One 301 can be a publisher's mistake; the same one on consecutive polls is a move.
  if (state.redirectCandidate === target) {
    log.warn(
      { from: currentUrl(feed, state), to: target },
      "feed moved permanently: now polling the new URL",
    );
    return { url: target, movedFrom: feed.url, redirectCandidate: null };
  }
  return { redirectCandidate: target };
}

export async function recordSuccess(poll: SuccessfulPoll, deps: RecordDeps): Promise<void> {
  const { feed, state, fetched: result, parsed, redirect, items, deferred, newItems } = poll;
  const pushRenewAt = poll.pushRenewAt ?? null;
  const feedId = feed.id;
  const snapshot = deps.snapshot();
  const now = deps.now();
  const discovery = result.kind === "ok" ? discoveryChanges(state, items, newItems, now) : {};
  const median =
    result.kind !== "ok"
      ? state.medianIntervalMs
      : // A median of 0: every item carries the same date (the build time), which says nothing.
        medianIntervalMs(items, now) ||
        discoveryIntervalMs(discovery.discoveries ?? []) ||
        state.medianIntervalMs;
  // A 304 has no body: the feed's <ttl> and sy:updatePeriod are those of the last full response.
  const hints = parsed
    ? { ttlMinutes: parsed.ttlMinutes, updatePeriodMinutes: parsed.updatePeriodMinutes }
    : { ttlMinutes: state.ttlMinutes, updatePeriodMinutes: state.updatePeriodMinutes };
  // Items left for the next poll: come back at the shortest interval, and without validators,
  // or the publisher's 304 would hide them until the feed next changes.
  const delay =
    deferred > 0
      ? feedMinIntervalMs(feed, snapshot.config.defaults)
      : nextPollDelayMs({
          everyMs: feedEveryMs(feed, snapshot.config.defaults),
          minMs: feedMinIntervalMs(feed, snapshot.config.defaults),
          maxMs: snapshot.config.defaults.maxInterval,
          cache: result.cache,
          ...hints,
          medianPublishIntervalMs: median,
          consecutiveErrors: 0,
          permanentError: false,
          retryAfterMs: null,
          now,
        });
  const changes: Partial<FeedState> = {
    ...redirect,
    polls: state.polls + 1,
    lastPollAt: now,
    lastSuccessAt: now,
    consecutiveErrors: 0,
    consecutiveHolds: 0,
    retryAfterUntil: null,
    nextPollAt:
      now +
      (deferred > 0
        ? delay
        : safetyNetDelay(delay, pushRenewAt, feed, snapshot.config.defaults, now)),
    medianIntervalMs: median,
    ...hints,
  };
  if (result.kind === "ok") {
    changes.etag = deferred > 0 ? null : result.etag;
    changes.lastModified = deferred > 0 ? null : result.lastModified;
    if (discovery.lastNewItemAt !== undefined) changes.lastNewItemAt = discovery.lastNewItemAt;
    if (discovery.discoveries) changes.discoveries = discovery.discoveries.join(",");
  }
  await deps.feedStates.update(feedId, changes);
  if (redirect.movedFrom) await noticeMove(feedId, currentUrl(feed, state), redirect, deps);
}

/**
 * Pushed items arrive by themselves; polling goes on as a safety net (a hub that silently
 * stops pushing, a lapsed lease) at the slow end, `maxInterval`, and always by the lease's
 * renewal time, since renewing is done by a poll.
 */
function safetyNetDelay(
  delay: number,
  pushRenewAt: number | null,
  feed: FeedConfig,
  defaults: Parameters<typeof feedMinIntervalMs>[1],
  now: number,
): number {
  if (pushRenewAt === null) return delay;
  const slow = Math.max(delay, defaults.maxInterval);
  return Math.max(feedMinIntervalMs(feed, defaults), Math.min(slow, pushRenewAt - now));
}

/**
 * A move is the publisher's doing and newswatch follows it, but the config still names the old
 * address: the admin hears once, so the config can be corrected before the old one lapses.
 */
async function noticeMove(
  feedId: string,
  from: string,
  redirect: Partial<FeedState>,
  deps: RecordDeps,
): Promise<void> {
  const to = redirect.url ?? "";
  const notice = feedMovedNotice(feedId, from, to, deps.now());
  // The move is recorded whatever happens here: a notice that cannot be queued is only logged.
  await queueAdminNotice(deps.snapshot().config, notice, deps.enqueue).catch((err: Error) =>
    deps.log.error({ feedId, err: err.message }, "could not queue the feed moved notice"),
  );
}

/**
 * Silence is judged by when new items were discovered, not by their dates: one item dated
 * next year, or a feed stamping every item with the time it was built, would otherwise keep a
 * dead feed "ok" for ever. A first poll discovers the whole backlog at once: it counts from
 * the newest date not in the future (a feed dead for months is seen as silent soon), or from
 * now, and records no discovery for the rhythm.
 */
function discoveryChanges(
  state: FeedState,
  items: FeedItem[],
  newItems: number,
  now: number,
): { lastNewItemAt?: number; discoveries?: number[] } {
  if (state.lastSuccessAt !== null && newItems > 0)
    return { lastNewItemAt: now, discoveries: addDiscovery(state.discoveries, now) };
  if (state.lastNewItemAt === null) {
    if (items.length === 0) return {};
    const dated = items
      .map((i) => (i.published ? Date.parse(i.published) : Number.NaN))
      .filter((t) => Number.isFinite(t) && t <= now);
    return { lastNewItemAt: dated.length > 0 ? Math.max(...dated) : now };
  }
  // Written by an older version from a future publication date: bring it back to now.
  if (state.lastNewItemAt > now) return { lastNewItemAt: now };
  return {};
}

export async function recordFailure(
  feedId: string,
  feed: FeedConfig,
  state: FeedState,
  err: unknown,
  deps: RecordDeps,
): Promise<void> {
  const snapshot = deps.snapshot();
  const now = deps.now();
  const failure = describeFailure(err);
  const consecutiveErrors = state.consecutiveErrors + 1;
  const retryAfterMs = err instanceof FetchError ? (err.retryAfterMs ?? null) : null;
  const lostDiscovery = discoveryLost(feed, state, err);
  const delay = nextPollDelayMs({
    everyMs: feedEveryMs(feed, snapshot.config.defaults),
    minMs: feedMinIntervalMs(feed, snapshot.config.defaults),
    maxMs: snapshot.config.defaults.maxInterval,
    cache: NO_CACHE_HINTS,
    ttlMinutes: state.ttlMinutes,
    updatePeriodMinutes: state.updatePeriodMinutes,
    medianPublishIntervalMs: state.medianIntervalMs,
    consecutiveErrors,
    // Anything else (a bug, a Redis error) is retried like a timeout: it may pass by itself.
    permanentError: err instanceof FetchError && !err.retryable && !lostDiscovery,
    retryAfterMs,
    now,
  });
  // The delay is Retry-After capped as nextPollDelayMs caps it (a week), or longer back-off.
  const retryAfterUntil =
    retryAfterMs && retryAfterMs > 0 ? now + Math.min(retryAfterMs, delay) : null;
  // Retry-After speaks for the publisher's server: its other feeds wait too (the poll worker
  // delays their jobs; run-once skips them).
  if (retryAfterUntil !== null)
    deps.hostGate.holdUntil(new URL(currentUrl(feed, state)).host, retryAfterUntil);
  // A 429/503 with Retry-After is the publisher asking for a pause, not the feed failing: it
  // is counted apart, so on its own it never shows as failing nor reaches failureNoticeAfter.
  // The delay above still backs off as for an error: asking again sooner would be rude.
  const held = retryAfterUntil !== null;
  await deps.feedStates.update(feedId, {
    polls: state.polls + 1,
    lastPollAt: now,
    lastErrorAt: now,
    lastError: failure.message,
    errorCategory: failure.category,
    consecutiveErrors: held ? state.consecutiveErrors : consecutiveErrors,
    consecutiveHolds: held ? state.consecutiveHolds + 1 : state.consecutiveHolds,
    nextPollAt: now + delay,
    retryAfterUntil,
    ...(lostDiscovery ? { discoveredUrl: null, discoveredFrom: null, etag: null } : {}),
    // 410 Gone: the publisher says it will not come back (RFC 9110 §15.5.11). A discovered
    // feed that is gone only sends the next poll back to the configured page.
    disabled:
      err instanceof FetchError && err.gone && !lostDiscovery
        ? `410 Gone at ${new Date(now).toISOString()}`
        : state.disabled,
  });
}

/**
 * A feed found on the configured page that now answers 404/410 or is no feed any more: the
 * site changed its feed URL. The next poll reads the page again and finds the new one.
 */
function discoveryLost(feed: FeedConfig, state: FeedState, err: unknown): boolean {
  if (!discoveredUrl(feed, state) || currentUrl(feed, state) !== state.discoveredUrl) return false;
  if (!(err instanceof FetchError)) return false;
  return err.category === "not-a-feed" || err.status === 404 || err.status === 410;
}

export function describeFailure(err: unknown): { category: string; message: string } {
  if (err instanceof FetchError) return { category: err.category, message: err.message };
  return { category: "internal", message: err instanceof Error ? err.message : String(err) };
}
