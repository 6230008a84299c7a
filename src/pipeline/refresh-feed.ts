import type { FeedConfig } from "../config/schema.ts";
import { findNovelty, type Novelty } from "../dedupe/novelty.ts";
import { type FetchResult, fetchFeed } from "../feeds/fetch.ts";
import { parseFeed } from "../feeds/parse.ts";
import type { FeedRef } from "../model/item.ts";
import type { Snapshot } from "../model/snapshot.ts";
import type { Subscriber } from "../model/subscriber.ts";
import type { FeedDailyCounts } from "../store/feed-daily.ts";
import type { FeedState } from "../store/feed-state.ts";
import type { RecentItemStore } from "../store/recent-items.ts";
import type { SeenStore } from "../store/seen.ts";
import type { StoryStore } from "../store/stories.ts";
import type { SubscriberStatusStore } from "../store/subscriber-status.ts";
import { notifyHealthChange } from "./health-notices.ts";
import { emptyOutcome, type PollOutcome } from "./outcome.ts";
import { type AlertDispatcher, processItems } from "./process-items.ts";
import {
  currentUrl,
  describeFailure,
  followPermanentRedirect,
  type RecordDeps,
  recordFailure,
  recordSuccess,
} from "./record-poll.ts";

/** What one poll needs, stage by stage; the composition root builds it once per process. */
export interface RefreshDeps extends RecordDeps {
  subscribers(): Promise<readonly Subscriber[]>;
  feedDaily: FeedDailyCounts;
  seen: SeenStore;
  stories: StoryStore;
  recent: RecentItemStore;
  statuses: SubscriberStatusStore;
  dispatcher: AlertDispatcher;
  /** Told once when a fetch's items were held back as an identity change. */
  onIdentityChange?(feedId: string, held: number): Promise<void>;
  userAgent: string;
}

/**
 * One poll of one feed, the whole story top to bottom, each stage taking the last one's
 * result: conditional GET with stored validators → a 304 ends it → parse → novelty (normalize,
 * seen set, identity change) → match, story, plan and queue alerts → only then mark the items
 * seen → one record of the poll (health, validators, next poll time). A failure is this feed's
 * alone: it is recorded and returned.
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

  const log = deps.log.child({ feedId });
  const started = deps.now();
  try {
    const fetched = await fetchStage(feed, state, snapshot, deps);
    outcome.fetchMs = deps.now() - started;
    const redirect = followPermanentRedirect(feed, state, fetched, log);
    const record = { feed, state, fetched, redirect, parsed: null, items: [], deferred: 0 };
    if (fetched.kind === "not-modified") {
      await recordSuccess({ ...record, newItems: 0 }, deps);
      log.debug({ fetchMs: outcome.fetchMs }, "feed not modified");
      return { ...outcome, status: "not-modified" };
    }
    const parsed = await parseFeed(fetched.body, { contentType: fetched.contentType ?? undefined });
    const now = deps.now();
    const { defaults } = snapshot.config;
    const fresh = await findNovelty(
      feed,
      state,
      parsed,
      fetched.finalUrl,
      { seenRetention: defaults.seenRetention, maxItemsPerPoll: defaults.maxItemsPerPoll, now },
      { ...deps, log },
    );
    if (fresh.identityChanged) await deps.onIdentityChange?.(feed.id, fresh.newCount);
    const feedRef: FeedRef = {
      id: feed.id,
      title: feed.title || parsed.title || feed.id,
      url: fetched.finalUrl,
    };
    const audience = {
      rules: () => snapshot.ruleSet,
      watchlists: snapshot.watchlists,
      subscribers: await deps.subscribers(),
    };
    const processed = await processItems(fresh.batch, feedRef, audience, deps, new Date(now));
    await markRecorded(fresh, feedRef, now, defaults.seenRetention, deps);
    await recordSuccess(
      { ...record, parsed, items: fresh.items, deferred: fresh.deferred, newItems: fresh.newCount },
      deps,
    );
    return {
      ...outcome,
      items: fresh.items.length,
      newItems: fresh.newCount,
      ...processed,
      note: pollNote(fresh),
      status: "ok",
    };
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

/** The conditional GET, through the host's politeness gate. */
async function fetchStage(
  feed: FeedConfig,
  state: FeedState,
  snapshot: Snapshot,
  deps: RefreshDeps,
): Promise<FetchResult> {
  const url = currentUrl(feed, state);
  // Now and then a full document, even from a feed that answers 304 for months: only a 200
  // restarts the retention of the items it still lists.
  const conditional = !(await deps.seen.refreshDue(feed.id));
  return deps.hostGate.run(new URL(url).host, () =>
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
}

/** After the alerts are queued: the items are seen, counted, and shown as recent. */
async function markRecorded(
  fresh: Novelty,
  feedRef: FeedRef,
  now: number,
  seenRetention: number,
  deps: RefreshDeps,
): Promise<void> {
  await deps.seen.markSeen(
    feedRef.id,
    fresh.recorded.map((e) => e.item),
    seenRetention,
  );
  await deps.feedStates.incrementItemsSeen(feedRef.id, fresh.newCount);
  await deps.feedDaily.increment(feedRef.id, now, fresh.newCount);
  await deps.recent.add(
    fresh.recorded
      .filter((e) => e.novelty === "new")
      .map((e) => ({ item: e.item, feed: feedRef, discoveredAt: now })),
    now,
  );
}

function pollNote(fresh: Novelty): string | undefined {
  if (fresh.identityChanged)
    return `${fresh.newCount} items held back: the feed changed its item identities (no alerts sent)`;
  return fresh.deferred > 0 ? `${fresh.deferred} items wait for the next poll` : undefined;
}
