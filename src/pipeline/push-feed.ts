import { parseFeed } from "../feeds/parse.ts";
import { emptyOutcome, type PollOutcome } from "./outcome.ts";
import { addDiscovery } from "./publish-interval.ts";
import { currentUrl } from "./record-poll.ts";
import { guardedGet, processFeed, type RefreshDeps } from "./refresh-feed.ts";

/**
 * Content a WebSub hub pushed for a feed (its signature already checked): read and processed
 * like a poll's document at once, the same novelty, matching and alerting, so a pushed item
 * and a polled one are the same item, alerted once. The poll schedule and the validators are
 * left alone: they belong to the safety-net polls. Throws FetchError for a body that is no feed.
 */
export async function processPush(
  feedId: string,
  body: string,
  contentType: string | undefined,
  deps: RefreshDeps,
): Promise<PollOutcome> {
  const snapshot = deps.snapshot();
  const feed = snapshot.feeds.get(feedId);
  const outcome = emptyOutcome(feedId);
  if (!feed?.enabled)
    return { ...outcome, status: "skipped", note: "not in the config or disabled" };
  const state = await deps.feedStates.get(feedId);
  const log = deps.log.child({ feedId, via: "websub" });
  const parsed = await parseFeed(body, {
    ...(contentType ? { contentType } : {}),
    maxEntries: snapshot.config.defaults.maxItemsPerFetch,
  });
  const processed = await processFeed(feed, state, parsed, currentUrl(feed, state), {
    snapshot,
    deps,
    log,
    get: guardedGet(snapshot, deps),
  });
  const now = deps.now();
  const newItems = processed.outcome.newItems ?? 0;
  if (newItems > 0)
    await deps.feedStates.update(feedId, {
      lastNewItemAt: now,
      discoveries: addDiscovery(state.discoveries, now).join(","),
    });
  await deps.push?.store.recordPush(feedId, now);
  log.info({ newItems, matched: processed.outcome.matchedItems }, "pushed content processed");
  return { ...outcome, ...processed.outcome, status: "ok" };
}
