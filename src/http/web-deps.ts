import type { WatchlistConfig } from "../config/schema.ts";
import { type FeedbackReport, feedbackReport } from "../subscriptions/feedback-report.ts";
import type { SubscriptionStore } from "../subscriptions/store.ts";
import type { SubscribeDeps } from "../subscriptions/subscribe.ts";
import type { WatchlistStore } from "../subscriptions/watchlist-store.ts";
import type { AdminAuth } from "./admin-auth.ts";
import type { HttpContext } from "./http-context.ts";

/** What the API and the pages share, built once per server. */
export interface WebDeps {
  ctx: HttpContext;
  subscriptions: SubscriptionStore;
  watchlists: WatchlistStore;
  auth: AdminAuth;
  now(): number;
}

export interface KnownWatchlist extends WatchlistConfig {
  /** Defined in the config file: shown, never changed through the web. */
  readOnly: boolean;
}

/** Config-file watchlists first (in file order), then those made through the API. */
export async function knownWatchlists(deps: WebDeps): Promise<KnownWatchlist[]> {
  const fromConfig = deps.ctx.snapshot().config.watchlists;
  const configIds = new Set(fromConfig.map((w) => w.id));
  const fromApi = (await deps.watchlists.list()).filter((w) => !configIds.has(w.id));
  return [
    ...fromConfig.map((w) => ({ ...w, readOnly: true })),
    ...fromApi.map((w) => ({ ...w, readOnly: false })),
  ];
}

/** Re-applies the API's watchlists after a change, so the next poll matches with them. */
export async function reloadWatchlists(deps: WebDeps): Promise<void> {
  await deps.ctx.loadApiWatchlists();
}

/** What sign-up and confirmation need, the same for the page and the API. */
export function subscribeDeps(deps: WebDeps): SubscribeDeps {
  const { ctx } = deps;
  return {
    store: deps.subscriptions,
    statuses: ctx.stores.statuses,
    enqueue: ctx.enqueue,
    links: ctx.links,
    now: deps.now,
  };
}

/** A watchlist's votes, precision and proposed exclusions (the API and the editor page). */
export function watchlistFeedback(
  deps: WebDeps,
  watchlist: WatchlistConfig,
): Promise<FeedbackReport> {
  const { ctx } = deps;
  return feedbackReport(watchlist, {
    feedback: ctx.stores.feedback,
    recent: (since) => ctx.stores.recent.list(since),
    lists: ctx.snapshot().config.lists,
    now: deps.now(),
  });
}
