import { CHANNELS, settingOf } from "../channels/registry.ts";
import { refusedUrlReason } from "../net/guarded-lookup.ts";
import { checkQuery } from "../rules/index.ts";
import { selectorProblem } from "../sources/selector-check.ts";
import { TELEGRAM_MIN_INTERVAL_MS } from "../sources/telegram-channel.ts";
import { formatDuration } from "./duration.ts";
import type { ConfigProblem } from "./problem.ts";
import { type Config, feedEveryMs } from "./schema.ts";

/**
 * Checks of what config values mean rather than their shape: watchlist queries through
 * the rules stage (the same parser that will run them), subscriber and admin channel
 * settings through each channel's own checks (see the registry).
 */
export function checkContent(config: Config): {
  problems: ConfigProblem[];
  warnings: ConfigProblem[];
} {
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  config.watchlists.forEach((watchlist, i) => {
    const result = checkQuery(watchlist.query, config.lists, { stemming: watchlist.stemming });
    if (result.error)
      problems.push({ path: ["watchlists", i, "query"], message: result.error.message });
    for (const warning of result.warnings)
      warnings.push({ path: ["watchlists", i, "query"], message: warning });
  });
  // A literal private address can be refused now; names are checked when they resolve.
  const refused = (url: string) =>
    refusedUrlReason(new URL(url), config.security.allowPrivateNetworks);
  config.feeds.forEach((feed, i) => {
    const reason = refused(feed.url);
    if (reason) problems.push({ path: ["feeds", i, "url"], message: reason });
    for (const [key, selector] of Object.entries(feed.select ?? {})) {
      const problem = selector === undefined ? null : selectorProblem(selector);
      if (problem) problems.push({ path: ["feeds", i, "select", key], message: problem });
    }
    const every = feedEveryMs(feed, config.defaults);
    if (feed.kind === "telegram" && every < TELEGRAM_MIN_INTERVAL_MS) {
      warnings.push({
        path: ["feeds", i, feed.every !== undefined ? "every" : "kind"],
        message: `a Telegram channel is polled every ${formatDuration(TELEGRAM_MIN_INTERVAL_MS)} at most often: its web preview answers no conditional requests, so each poll downloads the whole page`,
      });
      return;
    }
    const floor = config.defaults.minInterval;
    if (feed.every !== undefined && feed.every < floor) {
      warnings.push({
        path: ["feeds", i, "every"],
        message: `polled every ${formatDuration(floor)} at most often: defaults.minInterval is the floor (lower it to poll this feed faster)`,
      });
    }
  });
  const policy = { allowPrivateNetworks: config.security.allowPrivateNetworks };
  config.subscribers.forEach((sub, i) => {
    for (const channel of CHANNELS) {
      const value = settingOf(sub, channel.kind);
      if (value === undefined) continue;
      for (const p of channel.check(value, policy))
        problems.push({ path: ["subscribers", i, channel.kind, ...p.path], message: p.message });
    }
  });
  for (const channel of CHANNELS) {
    const value = settingOf(config.admin, channel.kind);
    for (const p of channel.admin?.check?.(value, policy) ?? [])
      problems.push({ path: ["admin", channel.kind, ...p.path], message: p.message });
  }
  const publicUrlWarning = plainHttpPublicUrl(config.http.publicUrl);
  if (publicUrlWarning) warnings.push({ path: ["http", "publicUrl"], message: publicUrlWarning });
  return { problems, warnings };
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * Emails carry links built on publicUrl (unsubscribe, manage, confirm). RFC 8058 §3.1 requires
 * the one-click unsubscribe URI to be https, and mailbox providers ignore it otherwise. A
 * loopback URL is a development setup, where nobody outside can follow the links anyway.
 */
function plainHttpPublicUrl(publicUrl: string): string | null {
  const url = new URL(publicUrl);
  if (url.protocol === "https:" || LOOPBACK_HOSTS.has(url.hostname)) return null;
  return "emails link here for one-click unsubscribe, which RFC 8058 requires to be https (mail providers ignore http links): serve newswatch behind https and give that URL";
}
