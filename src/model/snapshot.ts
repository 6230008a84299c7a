import type { Config, FeedConfig, WatchlistConfig } from "../config/schema.ts";
import type { RuleSet } from "../rules/index.ts";
import type { Subscriber } from "./subscriber.ts";

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
