import { formatDuration } from "../../config/duration.ts";
import { feedHealth, HEALTH_ORDER } from "../../pipeline/feed-health.ts";
import { currentUrl, discoveredUrl } from "../../pipeline/record-poll.ts";
import type { PushSubscription } from "../../store/websub-store.ts";
import { CONFIG_OPTION, parseFlags } from "../args.ts";
import { type Command, EXIT, UsageError } from "../command.ts";
import { loadOrReport, withContext } from "../load-for-command.ts";
import { relative, table } from "../table.ts";

const feeds: Command = {
  name: "feeds",
  summary: "list every feed with its health: last success, last error, next poll, items seen",
  usage: `newswatch feeds [--config FILE] [--json]
newswatch feeds --discover URL [--config FILE]
newswatch feeds --preview ID [--config FILE] [--json]

  --discover URL  fetch a page and list the feeds (and WebSub hubs) it names; * marks the
                  one a poll of that URL would read
  --preview ID    fetch the feed now and print the items it yields (nothing is stored), to
                  tune a kind: html page's selectors`,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      ...CONFIG_OPTION,
      json: { type: "boolean" },
      discover: { type: "string" },
      preview: { type: "string" },
    });
    if (values.discover !== undefined || values.preview !== undefined) {
      const loaded = await loadOrReport(values.config, io);
      if (!loaded) return EXIT.usage;
      // Imported here: every command is loaded at start, and the page readers are heavy.
      const { discover, preview } = await import("./feeds-inspect.ts");
      if (values.discover !== undefined) return discover(values.discover, loaded.config, io);
      const feed = loaded.config.feeds.find((f) => f.id === values.preview);
      if (!feed) throw new UsageError(`no feed with id ${values.preview}`);
      return preview(feed, loaded.config, io, values.json ?? false);
    }
    return withContext(values.config, io, async (ctx) => {
      const { config } = ctx.snapshot();
      const states = await ctx.stores.feedStates.getMany(config.feeds.map((f) => f.id));
      const pushes = await ctx.stores.websub.getMany(config.feeds.map((f) => f.id));
      const now = Date.now();
      const rows = config.feeds
        .map((feed) => {
          const state = states.get(feed.id);
          if (!state) throw new Error(`no state for ${feed.id}`);
          const health = feed.enabled ? feedHealth(state, 1, now) : "disabled";
          // A permanent move stands while the config still names the URL it was moved from.
          const url = currentUrl(feed, state);
          const moved = state.url !== null && state.movedFrom === feed.url;
          const found = discoveredUrl(feed, state);
          const push = pushView(pushes.get(feed.id) ?? null);
          return { feed, state, health, url, movedFrom: moved ? feed.url : null, found, push };
        })
        .sort(
          (a, b) =>
            HEALTH_ORDER[a.health] - HEALTH_ORDER[b.health] || a.feed.id.localeCompare(b.feed.id),
        );
      if (values.json) {
        for (const { feed, state, health, url, movedFrom, push } of rows) {
          io.stdout.write(
            `${JSON.stringify({ id: feed.id, kind: feed.kind, ...state, url, movedFrom, enabled: feed.enabled, health, push })}\n`,
          );
        }
        return EXIT.ok;
      }
      io.stdout.write(
        table(
          [
            "FEED",
            "HEALTH",
            "LAST SUCCESS",
            "LAST ERROR",
            "ERRORS",
            "NEXT POLL",
            "ITEMS",
            "USUAL GAP",
          ],
          rows.map(({ feed, state, health }) => [
            feed.id,
            health === "held" ? heldLabel(state.retryAfterUntil) : health,
            relative(state.lastSuccessAt, now),
            state.errorCategory && state.consecutiveErrors > 0
              ? `${state.errorCategory}: ${truncate(state.lastError ?? "", 40)}`
              : "-",
            String(state.consecutiveErrors),
            feed.enabled && !state.disabled ? relative(state.nextPollAt, now) : "-",
            String(state.itemsSeen),
            state.medianIntervalMs ? formatDuration(state.medianIntervalMs) : "-",
          ]),
        ),
      );
      const found = rows.filter((r) => r.found !== null && r.movedFrom === null);
      if (found.length > 0) {
        io.stdout.write("\nPages polled through the feed they name (autodiscovery):\n");
        for (const { feed, url } of found) io.stdout.write(`  ${feed.id}: ${feed.url} -> ${url}\n`);
      }
      const archives = rows.filter((r) => r.state.itemsOverCap !== null);
      if (archives.length > 0) {
        io.stdout.write(
          `\nListing more than defaults.maxItems (${config.defaults.maxItems}); only the newest are read:\n`,
        );
        for (const { feed, state } of archives)
          io.stdout.write(`  ${feed.id}: lists ${state.itemsOverCap} items\n`);
      }
      const pushed = rows.filter((r) => r.push !== null);
      if (pushed.length > 0) {
        io.stdout.write(
          "\nWebSub push (a pushed feed is polled at the slow end, as a safety net):\n",
        );
        for (const { feed, push } of pushed)
          io.stdout.write(`  ${feed.id}: ${describePush(push, now)}\n`);
      }
      const moved = rows.filter((r) => r.movedFrom !== null);
      if (moved.length > 0) {
        io.stdout.write("\nMoved permanently (301/308); put the new URL in the config:\n");
        for (const { feed, url, movedFrom } of moved)
          io.stdout.write(`  ${feed.id}: ${movedFrom} -> ${url}\n`);
      }
      return EXIT.ok;
    });
  },
};

/** "held (publisher asked to wait until 2026-12-03 11:00 UTC)": a hold is not a failure. */
function heldLabel(until: number | null): string {
  const at = new Date(until ?? 0).toISOString().slice(0, 16).replace("T", " ");
  return `held (publisher asked to wait until ${at} UTC)`;
}

/** A feed's subscription as `feeds` shows it: everything but the secret. */
function pushView(sub: PushSubscription | null) {
  if (!sub) return null;
  const { secret: _secret, ...shown } = sub;
  return shown;
}

function describePush(push: ReturnType<typeof pushView>, now: number): string {
  if (!push) return "-";
  const iso = (t: number | null) => (t === null ? "-" : new Date(t).toISOString());
  switch (push.state) {
    case "verified": {
      const last = push.lastPushAt ? `, last ${relative(push.lastPushAt, now)}` : "";
      return `pushed by ${push.hub}, lease until ${iso(push.leaseExpiresAt)}, ${push.pushes} pushes${last}`;
    }
    case "requested":
      return `asked ${push.hub} at ${iso(push.requestedAt)}, waiting for its verification`;
    case "failed":
      return `not pushed (polled as usual): ${push.error ?? "failed"}`;
  }
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export default feeds;
