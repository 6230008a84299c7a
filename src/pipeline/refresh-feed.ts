import type { FeedConfig } from "../config/schema.ts";
import { findNovelty, type Novelty } from "../dedupe/novelty.ts";
import { fetchFeed, fetchLimits } from "../feeds/fetch.ts";
import type { ParsedFeed } from "../feeds/parse.ts";
import type { Logger } from "../log.ts";
import type { FeedRef } from "../model/item.ts";
import type { Snapshot } from "../model/snapshot.ts";
import type { Subscriber } from "../model/subscriber.ts";
import type { FeedDailyCounts } from "../store/feed-daily.ts";
import type { FeedState } from "../store/feed-state.ts";
import type { RecentItemStore } from "../store/recent-items.ts";
import type { SeenStore } from "../store/seen.ts";
import type { StoryStore } from "../store/stories.ts";
import type { SubscriberStatusStore } from "../store/subscriber-status.ts";
import { keepPushAlive, type PushDeps } from "../websub/subscription.ts";
import { fetchFullTexts } from "./full-text.ts";
import { notifyHealthChange } from "./health-notices.ts";
import { emptyOutcome, type PollOutcome } from "./outcome.ts";
import { type AlertDispatcher, processItems } from "./process-items.ts";
import { type GetDocument, readSource } from "./read-source.ts";
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
  /** WebSub subscriptions for feeds that name a hub; null when no hub could reach us. */
  push?: PushDeps | null;
  /** Told once when a fetch's items were held back as an identity change. */
  onIdentityChange?(feedId: string, held: number): Promise<void>;
  /** Told when a fetch's items were held back as a burst far above the feed's usual rate. */
  onBurst?(feedId: string, held: number): Promise<void>;
  userAgent: string;
}

/**
 * One poll of one feed, the whole story top to bottom, each stage taking the last one's
 * result: conditional GET with stored validators → a 304 ends it → read the source (a feed,
 * a page naming one, a page without one, a Telegram preview) → novelty (normalize, seen set,
 * identity change) → full text where asked → match, story, plan and queue alerts → only then
 * mark the items seen → one record of the poll (health, validators, next poll time). A
 * failure is this feed's alone: it is recorded and returned.
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
    const get = guardedGet(snapshot, deps);
    // Now and then a full document, even from a feed that answers 304 for months: only a 200
    // restarts the retention of the items it still lists.
    const conditional = !(await deps.seen.refreshDue(feedId));
    const fetched = await get({
      url: currentUrl(feed, state),
      etag: conditional ? state.etag : null,
      lastModified: conditional ? state.lastModified : null,
    });
    outcome.fetchMs = deps.now() - started;
    if (fetched.kind === "not-modified") {
      const redirect = followPermanentRedirect(feed, state, fetched, log);
      const pushRenewAt = await pushAfterPoll(feed, null, deps);
      const record = { feed, state, fetched, redirect, parsed: null, items: [], deferred: 0 };
      await recordSuccess({ ...record, newItems: 0, pushRenewAt }, deps);
      log.debug({ fetchMs: outcome.fetchMs }, "feed not modified");
      return { ...outcome, status: "not-modified" };
    }
    const read = await readSource(feed, fetched, {
      get,
      now: started,
      maxEntries: snapshot.config.defaults.maxItemsPerFetch,
    });
    const redirect = {
      ...followPermanentRedirect(feed, state, read.result, log),
      ...discoveryChange(feed, state, read.discovered, log),
    };
    const { parsed } = read;
    const processed = await processFeed(feed, state, parsed, read.result.finalUrl, {
      snapshot,
      deps,
      log,
      get,
    });
    const pushRenewAt = await pushAfterPoll(feed, read.result, deps);
    const { fresh } = processed;
    await recordSuccess(
      {
        feed,
        state,
        fetched: read.result,
        redirect,
        parsed,
        items: fresh.items,
        deferred: fresh.deferred,
        newItems: fresh.newCount,
        pushRenewAt,
      },
      deps,
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

/** Every request of a poll: the SSRF-guarded fetcher with the config's limits, one host slot each. */
export function guardedGet(snapshot: Snapshot, deps: RefreshDeps): GetDocument {
  const limits = fetchLimits(snapshot.config, deps.userAgent);
  return (req) => deps.hostGate.run(new URL(req.url).host, () => fetchFeed(req, limits));
}

/**
 * Keeps a WebSub subscription going for a feed that names a hub (in its body; after a 304,
 * the one already stored). Returns when the safety-net poll must come back at the latest
 * (the lease's renewal time), or null when the feed is not pushed.
 */
async function pushAfterPoll(
  feed: FeedConfig,
  fetched: { body: string; finalUrl: string } | null,
  deps: RefreshDeps,
): Promise<number | null> {
  if (!deps.push || feed.kind !== "feed") return null;
  let target: { hub: string; topic: string } | null = null;
  if (fetched) {
    const json = fetched.body.trimStart().startsWith("{");
    // Most feeds name no hub: the text test spares them a second parse.
    if (!(json ? /"hubs"/ : /rel\s*=\s*["']?hub/i).test(fetched.body)) return null;
    const { hubLinks, jsonFeedHubs } = await import("../sources/discover.ts");
    const links = (json ? jsonFeedHubs : hubLinks)(fetched.body, fetched.finalUrl);
    const hub = links.hubs[0];
    if (hub) target = { hub, topic: links.self ?? fetched.finalUrl };
  } else {
    const stored = await deps.push.store.get(feed.id);
    if (stored) target = { hub: stored.hub, topic: stored.topic };
  }
  if (!target) return null;
  const status = await keepPushAlive(feed.id, target, deps.push);
  return status.active ? status.renewAt : null;
}

/** Remembers the feed a page pointed at, so later polls go to it straight away. */
function discoveryChange(
  feed: FeedConfig,
  state: FeedState,
  discovered: string | null,
  log: Logger,
): Partial<FeedState> {
  if (!discovered) return {};
  if (discovered === state.discoveredUrl && state.discoveredFrom === feed.url) return {};
  log.info({ page: feed.url, feed: discovered }, "the page names a feed: polling it from now on");
  return { discoveredUrl: discovered, discoveredFrom: feed.url };
}

export interface PollScope {
  snapshot: Snapshot;
  deps: RefreshDeps;
  log: Logger;
  /** The poll's guarded fetcher, for the articles of a `fullText` feed. */
  get: GetDocument;
}

/**
 * A fetched (or pushed) document's stages after reading it: novelty, full text, matching and
 * alerting, then the items are recorded as seen. Shared by polls and WebSub pushes, so a pushed
 * item and a polled one are the same item, alerted once.
 */
export async function processFeed(
  feed: FeedConfig,
  state: FeedState,
  parsed: ParsedFeed,
  finalUrl: string,
  { snapshot, deps, log, get }: PollScope,
): Promise<{ outcome: Partial<PollOutcome>; fresh: Novelty }> {
  const now = deps.now();
  const { defaults } = snapshot.config;
  const fresh = await findNovelty(
    feed,
    state,
    parsed,
    finalUrl,
    {
      seenRetention: defaults.seenRetention,
      maxItemsPerPoll: defaults.maxItemsPerPoll,
      maxItems: defaults.maxItems,
      now,
    },
    { ...deps, log },
  );
  if (fresh.identityChanged) await deps.onIdentityChange?.(feed.id, fresh.newCount);
  if (fresh.burst) await deps.onBurst?.(feed.id, fresh.newCount);
  const feedRef: FeedRef = {
    id: feed.id,
    title: feed.title || parsed.title || feed.id,
    url: finalUrl,
    ...(feed.group ? { group: feed.group } : {}),
  };
  const bodies = feed.fullText
    ? await fetchFullTexts(fresh.batch, get, log)
    : new Map<string, string>();
  const batch = fresh.batch.map((e) => ({ ...e, body: bodies.get(e.item.id) }));
  const audience = {
    rules: () => snapshot.ruleSet,
    watchlists: snapshot.watchlists,
    subscribers: await deps.subscribers(),
  };
  const processed = await processItems(batch, feedRef, audience, deps, new Date(now));
  await markRecorded(fresh, feedRef, now, defaults.seenRetention, deps);
  return {
    outcome: {
      items: fresh.items.length,
      newItems: fresh.newCount,
      ...processed,
      note: pollNote(fresh),
    },
    fresh,
  };
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
  if (fresh.burst)
    return `${fresh.newCount} items held back: far more than the feed's usual rate (no alerts sent)`;
  return fresh.deferred > 0 ? `${fresh.deferred} items wait for the next poll` : undefined;
}
