import type { LoadedConfig } from "../config/load.ts";
import type { WatchlistConfig } from "../config/schema.ts";
import type { Snapshot } from "../model/snapshot.ts";
import { fromConfig } from "../model/subscriber.ts";
import { compileRules, type RuleSet } from "../rules/index.ts";

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
