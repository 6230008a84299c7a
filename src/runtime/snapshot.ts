import { fromConfig, type Subscriber } from "../alerts/subscriber.ts";
import type { LoadedConfig } from "../config/load.ts";
import type { Config, FeedConfig, WatchlistConfig } from "../config/schema.ts";
import { compileRules, type RuleSet } from "../rules/index.ts";

/**
 * Everything derived from one version of the config. A reload builds a new snapshot and
 * swaps it in one assignment, so a poll in progress finishes on the version it started with.
 */
export interface Snapshot {
  file: string;
  config: Config;
  feeds: ReadonlyMap<string, FeedConfig>;
  watchlists: ReadonlyMap<string, WatchlistConfig>;
  ruleSet: RuleSet;
  configSubscribers: readonly Subscriber[];
  loadedAt: Date;
}

export function buildSnapshot(
  loaded: LoadedConfig,
  extraWatchlists: WatchlistConfig[] = [],
): Snapshot {
  const { config } = loaded;
  const watchlists = [...config.watchlists, ...extraWatchlists];
  // Compiled on first use: a scheduler-only process never matches, and 10,000 compiled
  // rules cost it about 110 MB for nothing.
  let ruleSet: RuleSet | undefined;
  return {
    file: loaded.file,
    config,
    feeds: new Map(config.feeds.map((f) => [f.id, f])),
    watchlists: new Map(watchlists.map((w) => [w.id, w])),
    get ruleSet() {
      ruleSet ??= compileRules(
        watchlists.map((w) => ({ id: w.id, query: w.query, stemming: w.stemming })),
        config.lists,
      ).ruleSet;
      return ruleSet;
    },
    configSubscribers: config.subscribers.map(fromConfig),
    loadedAt: new Date(),
  };
}
