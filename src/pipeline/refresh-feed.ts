import type { Queue } from "bullmq";
import type { Subscriber } from "../alerts/subscriber.ts";
import type { FeedConfig } from "../config/schema.ts";
import { looksLikeIdentityChange } from "../dedupe/identity-change.ts";
import { type FetchResult, fetchFeed } from "../feeds/fetch.ts";
import { FetchError } from "../feeds/fetch-error.ts";
import type { HostGate } from "../feeds/host-gate.ts";
import type { FeedItem, FeedRef } from "../feeds/item.ts";
import { normalizeEntries } from "../feeds/normalize.ts";
import { type ParsedFeed, parseFeed } from "../feeds/parse.ts";
import { nextPollDelayMs } from "../feeds/schedule.ts";
import type { Logger } from "../log.ts";
import type { Snapshot } from "../runtime/snapshot.ts";
import type { FeedDailyCounts } from "../store/feed-daily.ts";
import type { FeedState, FeedStateStore } from "../store/feed-state.ts";
import type { RecentItemStore } from "../store/recent-items.ts";
import type { SeenStore } from "../store/seen.ts";
import type { StoryStore } from "../store/stories.ts";
import { notifyHealthChange } from "./health-notices.ts";
import { emptyOutcome, type PollOutcome } from "./outcome.ts";
import { type AlertDispatcher, processItems } from "./process-items.ts";
import { medianIntervalMs } from "./publish-interval.ts";

export interface RefreshDeps {
  snapshot(): Snapshot;
  subscribers(): Promise<readonly Subscriber[]>;
  feedStates: FeedStateStore;
  feedDaily: FeedDailyCounts;
  seen: SeenStore;
  stories: StoryStore;
  recent: RecentItemStore;
  hostGate: HostGate;
  dispatcher: AlertDispatcher;
  /** Where admin notices (feed failing, silent, recovered) are queued. */
  queueFor(channel: string): Queue;
  /** Told once when a fetch's items were held back as an identity change. */
  onIdentityChange?(feedId: string, held: number): Promise<void>;
  log: Logger;
  userAgent: string;
  now(): number;
}

/**
 * One poll of one feed, the whole story top to bottom:
 * conditional GET with stored validators → 304 ends it → parse → normalize → which items
 * are new → match, plan and queue alerts → only then mark the items seen → record health
 * and the next poll time. A failure is this feed's alone: it is recorded and returned.
 */
export async function refreshFeed(feedId: string, deps: RefreshDeps): Promise<PollOutcome> {
  const outcome = await pollFeed(feedId, deps);
  if (outcome.status === "ok" || outcome.status === "not-modified" || outcome.status === "failed") {
    await notifyHealthChange(feedId, deps.snapshot().config, deps).catch((err: Error) =>
      deps.log.error({ feedId, err: err.message }, "could not queue the feed health notice"),
    );
  }
  return outcome;
}

async function pollFeed(feedId: string, deps: RefreshDeps): Promise<PollOutcome> {
  const snapshot = deps.snapshot();
  const feed = snapshot.feeds.get(feedId);
  const outcome = emptyOutcome(feedId);
  if (!feed?.enabled)
    return { ...outcome, status: "skipped", note: "not in the config or disabled" };
  const state = await deps.feedStates.get(feedId);
  if (state.disabled) return { ...outcome, status: "skipped", note: `disabled: ${state.disabled}` };

  const url = currentUrl(feed, state);
  const log = deps.log.child({ feedId });
  const started = deps.now();
  try {
    const result = await deps.hostGate.run(new URL(url).host, () =>
      fetchFeed(
        { url, etag: state.etag, lastModified: state.lastModified },
        {
          connectTimeoutMs: snapshot.config.defaults.connectTimeout,
          totalTimeoutMs: snapshot.config.defaults.timeout,
          maxBodyBytes: snapshot.config.defaults.maxBodyBytes,
          maxRedirects: 5,
          allowPrivateNetworks: snapshot.config.security.allowPrivateNetworks,
          userAgent: deps.userAgent,
        },
      ),
    );
    outcome.fetchMs = deps.now() - started;
    const redirect = followPermanentRedirect(feed, state, result, log);
    if (result.kind === "not-modified") {
      await recordSuccess(feedId, feed, state, result, null, deps, redirect);
      log.debug({ fetchMs: outcome.fetchMs }, "feed not modified");
      return { ...outcome, status: "not-modified" };
    }
    const parsed = await parseFeed(result.body, { contentType: result.contentType ?? undefined });
    const processed = await processFeed(feed, state, parsed, result.finalUrl, snapshot, deps, log);
    await recordSuccess(
      feedId,
      feed,
      state,
      result,
      parsed,
      deps,
      redirect,
      processed.latestItems,
      processed.deferred,
    );
    return { ...outcome, ...processed.outcome, status: "ok" };
  } catch (err) {
    outcome.fetchMs = deps.now() - started;
    const failure = describeFailure(err);
    await recordFailure(feedId, feed, state, err, deps);
    log.warn(
      {
        category: failure.category,
        err: failure.message,
        consecutiveErrors: state.consecutiveErrors + 1,
      },
      "feed poll failed",
    );
    return { ...outcome, status: "failed", error: failure };
  }
}

/** The stored URL wins only while the config still names the URL it was moved from. */
function currentUrl(feed: FeedConfig, state: FeedState): string {
  return state.url && state.movedFrom === feed.url ? state.url : feed.url;
}

async function processFeed(
  feed: FeedConfig,
  state: FeedState,
  parsed: ParsedFeed,
  finalUrl: string,
  snapshot: Snapshot,
  deps: RefreshDeps,
  log: Logger,
): Promise<{ outcome: Partial<PollOutcome>; latestItems: FeedItem[]; deferred: number }> {
  const feedRef: FeedRef = {
    id: feed.id,
    title: feed.title || parsed.title || feed.id,
    url: finalUrl,
  };
  const { items, identity, identityReason } = normalizeEntries(feed.id, finalUrl, parsed, {
    previousIdentity: state.identity as "guid" | "link" | "hash" | null,
  });
  // Remembered so a feed near the 5% threshold does not flip its item ids back and forth.
  if (identity !== state.identity) await deps.feedStates.update(feed.id, { identity });
  if (identityReason) log.info({ reason: identityReason }, "feed item identity falls back");
  const novelty = await deps.seen.classify(feed.id, items);
  const fresh = items
    .map((item, i) => ({ item, novelty: novelty[i] ?? "new" }))
    .filter((e) => e.novelty !== "unchanged");
  const firstPoll = state.lastSuccessAt === null;
  const now = deps.now();

  // Newest first; the rest stay unseen and are processed by the next poll, never dropped.
  const batch = fresh.slice(0, snapshot.config.defaults.maxItemsPerPoll);
  const newCount = batch.filter((e) => e.novelty === "new").length;
  const identityChanged = looksLikeIdentityChange(
    fresh.filter((e) => e.novelty === "new").map((e) => e.item),
    items.length,
    state,
  );
  if (identityChanged) {
    log.warn({ held: newCount }, "most items changed identity at once: recorded without alerting");
    await deps.onIdentityChange?.(feed.id, newCount);
  }
  const alertable = identityChanged
    ? []
    : (batch.filter((e) => isAlertable(e.item, firstPoll, feed, now)) as {
        item: FeedItem;
        novelty: "new" | "edited";
      }[]);
  if (firstPoll && batch.length > alertable.length) {
    log.info(
      { recorded: batch.length - alertable.length },
      "first poll: existing items recorded without alerting",
    );
  }
  const subscribers = await deps.subscribers();
  const processed = await processItems(
    alertable,
    feedRef,
    snapshot,
    subscribers,
    deps,
    new Date(now),
  );
  await deps.seen.markSeen(
    feed.id,
    batch.map((e) => e.item),
    snapshot.config.defaults.seenRetention,
  );
  await deps.feedStates.incrementItemsSeen(feed.id, newCount);
  await deps.feedDaily.increment(feed.id, now, newCount);
  await deps.recent.add(
    batch
      .filter((e) => e.novelty === "new")
      .map((e) => ({ item: e.item, feed: feedRef, discoveredAt: now })),
    now,
  );
  const note = identityChanged
    ? `${newCount} items held back: the feed changed its item identities (no alerts sent)`
    : fresh.length > batch.length
      ? `${fresh.length - batch.length} items wait for the next poll`
      : undefined;
  return {
    outcome: { items: items.length, newItems: newCount, ...processed, note },
    latestItems: items,
    deferred: fresh.length - batch.length,
  };
}

/** First-poll items only alert when younger than the feed's `backfill` window. */
function isAlertable(item: FeedItem, firstPoll: boolean, feed: FeedConfig, now: number): boolean {
  if (!firstPoll) return true;
  if (!feed.backfill || !item.published) return false;
  return now - Date.parse(item.published) <= feed.backfill;
}

function followPermanentRedirect(
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

async function recordSuccess(
  feedId: string,
  feed: FeedConfig,
  state: FeedState,
  result: FetchResult,
  parsed: ParsedFeed | null,
  deps: RefreshDeps,
  redirect: Partial<FeedState>,
  items: FeedItem[] = [],
  deferred = 0,
): Promise<void> {
  const snapshot = deps.snapshot();
  const now = deps.now();
  const median = items.length > 1 ? medianIntervalMs(items) : state.medianIntervalMs;
  // Items left for the next poll: come back at the shortest interval, and without validators,
  // or the publisher's 304 would hide them until the feed next changes.
  const delay =
    deferred > 0
      ? snapshot.config.defaults.minInterval
      : nextPollDelayMs({
          everyMs: feed.every ?? snapshot.config.defaults.every,
          minMs: snapshot.config.defaults.minInterval,
          maxMs: snapshot.config.defaults.maxInterval,
          cache: result.cache,
          ttlMinutes: parsed?.ttlMinutes ?? null,
          updatePeriodMinutes: parsed?.updatePeriodMinutes ?? null,
          medianPublishIntervalMs: median,
          consecutiveErrors: 0,
          retryAfterMs: null,
          now,
        });
  const changes: Partial<FeedState> = {
    ...redirect,
    polls: state.polls + 1,
    lastPollAt: now,
    lastSuccessAt: now,
    consecutiveErrors: 0,
    nextPollAt: now + delay,
    medianIntervalMs: median,
  };
  if (result.kind === "ok") {
    changes.etag = deferred > 0 ? null : result.etag;
    changes.lastModified = deferred > 0 ? null : result.lastModified;
    const newest = items
      .map((i) => (i.published ? Date.parse(i.published) : Number.NaN))
      .filter(Number.isFinite);
    if (newest.length > 0) changes.lastNewItemAt = Math.max(...newest, state.lastNewItemAt ?? 0);
  }
  await deps.feedStates.update(feedId, changes);
}

async function recordFailure(
  feedId: string,
  feed: FeedConfig,
  state: FeedState,
  err: unknown,
  deps: RefreshDeps,
): Promise<void> {
  const snapshot = deps.snapshot();
  const now = deps.now();
  const failure = describeFailure(err);
  const consecutiveErrors = state.consecutiveErrors + 1;
  const delay = nextPollDelayMs({
    everyMs: feed.every ?? snapshot.config.defaults.every,
    minMs: snapshot.config.defaults.minInterval,
    maxMs: snapshot.config.defaults.maxInterval,
    cache: { maxAgeSeconds: null, expiresAt: null },
    ttlMinutes: null,
    updatePeriodMinutes: null,
    medianPublishIntervalMs: state.medianIntervalMs,
    consecutiveErrors,
    retryAfterMs: err instanceof FetchError ? (err.retryAfterMs ?? null) : null,
    now,
  });
  await deps.feedStates.update(feedId, {
    polls: state.polls + 1,
    lastPollAt: now,
    lastErrorAt: now,
    lastError: failure.message,
    errorCategory: failure.category,
    consecutiveErrors,
    nextPollAt: now + delay,
    // 410 Gone: the publisher says it will not come back (RFC 9110 §15.5.11).
    disabled:
      err instanceof FetchError && err.gone
        ? `410 Gone at ${new Date(now).toISOString()}`
        : state.disabled,
  });
}

export function describeFailure(err: unknown): { category: string; message: string } {
  if (err instanceof FetchError) return { category: err.category, message: err.message };
  return { category: "internal", message: err instanceof Error ? err.message : String(err) };
}
