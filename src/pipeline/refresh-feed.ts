import type { Queue } from "bullmq";
import type { Subscriber } from "../alerts/subscriber.ts";
import type { FeedConfig } from "../config/schema.ts";
import { looksLikeIdentityChange } from "../dedupe/identity-change.ts";
import { fetchFeed } from "../feeds/fetch.ts";
import type { HostGate } from "../feeds/host-gate.ts";
import type { FeedItem, FeedRef } from "../feeds/item.ts";
import { normalizeEntries } from "../feeds/normalize.ts";
import { type ParsedFeed, parseFeed } from "../feeds/parse.ts";
import type { Logger } from "../log.ts";
import type { Snapshot } from "../runtime/snapshot.ts";
import type { FeedDailyCounts } from "../store/feed-daily.ts";
import type { FeedState, FeedStateStore } from "../store/feed-state.ts";
import type { RecentItemStore } from "../store/recent-items.ts";
import type { SeenStore } from "../store/seen.ts";
import type { StoryStore } from "../store/stories.ts";
import type { SubscriberStatusStore } from "../store/subscriber-status.ts";
import { looksLikeBurst, MIN_BURST } from "./burst.ts";
import { notifyHealthChange } from "./health-notices.ts";
import { emptyOutcome, type PollOutcome } from "./outcome.ts";
import { type AlertDispatcher, processItems } from "./process-items.ts";
import {
  currentUrl,
  describeFailure,
  followPermanentRedirect,
  recordFailure,
  recordSuccess,
} from "./record-poll.ts";

export interface RefreshDeps {
  snapshot(): Snapshot;
  subscribers(): Promise<readonly Subscriber[]>;
  feedStates: FeedStateStore;
  feedDaily: FeedDailyCounts;
  seen: SeenStore;
  stories: StoryStore;
  recent: RecentItemStore;
  statuses: SubscriberStatusStore;
  hostGate: HostGate;
  dispatcher: AlertDispatcher;
  /** Where admin notices (feed failing, silent, recovered) are queued. */
  queueFor(channel: string): Queue;
  /** Told once when a fetch's items were held back as an identity change. */
  onIdentityChange?(feedId: string, held: number): Promise<void>;
  /** Told when a fetch's items were held back as a burst far above the feed's usual rate. */
  onBurst?(feedId: string, held: number): Promise<void>;
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
    // Now and then a full document, even from a feed that answers 304 for months: only a 200
    // restarts the retention of the items it still lists.
    const conditional = !(await deps.seen.refreshDue(feedId));
    const result = await deps.hostGate.run(new URL(url).host, () =>
      fetchFeed(
        {
          url,
          etag: conditional ? state.etag : null,
          lastModified: conditional ? state.lastModified : null,
        },
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
    const parsed = await parseFeed(result.body, {
      contentType: result.contentType ?? undefined,
      maxEntries: snapshot.config.defaults.maxItemsPerFetch,
    });
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
      processed.outcome.newItems,
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
    ...(feed.group ? { group: feed.group } : {}),
  };
  const { items, identity, identityReason } = normalizeEntries(feed.id, finalUrl, parsed, {
    previousIdentity: state.identity as "guid" | "link" | "hash" | null,
  });
  // Remembered so a feed near the 5% threshold does not flip its item ids back and forth.
  if (identity !== state.identity) await deps.feedStates.update(feed.id, { identity });
  if (identityReason) log.info({ reason: identityReason }, "feed item identity falls back");
  const novelty = await deps.seen.classify(feed.id, items, snapshot.config.defaults.seenRetention);
  const fresh = items
    .map((item, i) => ({ item, novelty: novelty[i] ?? "new" }))
    .filter((e) => e.novelty !== "unchanged");
  const firstPoll = state.lastSuccessAt === null;
  const now = deps.now();
  const identityChanged = looksLikeIdentityChange(
    fresh.filter((e) => e.novelty === "new").map((e) => e.item),
    items.length,
    state,
  );
  const burst =
    !identityChanged && !firstPoll && (await isBurst(feed.id, fresh, deps.feedDaily, now));
  // Items that may never alert are recorded now, however many there are: a first poll's
  // backlog outside `backfill`, every item of a mass identity change or of a burst. Left
  // over for the next poll, they would be judged there as an established feed's news.
  const recordOnly: typeof fresh = [];
  const candidates: typeof fresh = [];
  for (const e of fresh) {
    const alertable = !identityChanged && !burst && isAlertable(e.item, firstPoll, feed, now);
    (alertable ? candidates : recordOnly).push(e);
  }
  // Newest first; the rest stay unseen and are processed by the next poll, never dropped.
  const batch = candidates.slice(0, snapshot.config.defaults.maxItemsPerPoll) as {
    item: FeedItem;
    novelty: "new" | "edited";
  }[];
  const deferred = candidates.length - batch.length;
  const recorded = [...recordOnly, ...batch];
  const newCount = recorded.filter((e) => e.novelty === "new").length;
  if (identityChanged) {
    log.warn({ held: newCount }, "most items changed identity at once: recorded without alerting");
    await deps.onIdentityChange?.(feed.id, newCount);
  } else if (burst) {
    log.warn(
      { held: newCount },
      "a burst far above the feed's usual rate: recorded without alerting",
    );
    await deps.onBurst?.(feed.id, newCount);
  } else if (firstPoll && recordOnly.length > 0) {
    log.info(
      { recorded: recordOnly.length },
      "first poll: existing items recorded without alerting",
    );
  }
  const subscribers = await deps.subscribers();
  const processed = await processItems(batch, feedRef, snapshot, subscribers, deps, new Date(now));
  await deps.seen.markSeen(
    feed.id,
    recorded.map((e) => e.item),
    snapshot.config.defaults.seenRetention,
  );
  await deps.feedStates.incrementItemsSeen(feed.id, newCount);
  await deps.feedDaily.increment(feed.id, now, newCount);
  await deps.recent.add(
    recorded
      .filter((e) => e.novelty === "new")
      .map((e) => ({ item: e.item, feed: feedRef, discoveredAt: now })),
    now,
  );
  const note = identityChanged
    ? `${newCount} items held back: the feed changed its item identities (no alerts sent)`
    : burst
      ? `${newCount} items held back: far more than the feed's usual rate (no alerts sent)`
      : deferred > 0
        ? `${deferred} items wait for the next poll`
        : undefined;
  return {
    outcome: { items: items.length, newItems: newCount, ...processed, note },
    latestItems: items,
    deferred,
  };
}

/** Reads the feed's daily counts only for a fetch big enough to be a burst. */
async function isBurst(
  feedId: string,
  fresh: { novelty: string }[],
  feedDaily: FeedDailyCounts,
  now: number,
): Promise<boolean> {
  const newItems = fresh.filter((e) => e.novelty === "new").length;
  if (newItems < MIN_BURST) return false;
  const daily = (await feedDaily.readMany([feedId])).get(feedId) ?? new Map();
  return looksLikeBurst(newItems, daily, now);
}

/** First-poll items only alert when younger than the feed's `backfill` window. */
function isAlertable(item: FeedItem, firstPoll: boolean, feed: FeedConfig, now: number): boolean {
  if (!firstPoll) return true;
  if (!feed.backfill || !item.published) return false;
  return now - Date.parse(item.published) <= feed.backfill;
}
