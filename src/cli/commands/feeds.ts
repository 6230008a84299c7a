import { formatDuration } from "../../config/duration.ts";
import { feedHealth, HEALTH_ORDER } from "../../pipeline/feed-health.ts";
import { currentUrl } from "../../pipeline/record-poll.ts";
import { CONFIG_OPTION, parseFlags } from "../args.ts";
import { type Command, EXIT } from "../command.ts";
import { withContext } from "../load-for-command.ts";
import { relative, table } from "../table.ts";

const feeds: Command = {
  name: "feeds",
  summary: "list every feed with its health: last success, last error, next poll, items seen",
  usage: "newswatch feeds [--config FILE] [--json]",
  async run(argv, io) {
    const { values } = parseFlags(argv, { ...CONFIG_OPTION, json: { type: "boolean" } });
    return withContext(values.config, io, async (ctx) => {
      const { config } = ctx.snapshot();
      const states = await ctx.stores.feedStates.getMany(config.feeds.map((f) => f.id));
      const now = Date.now();
      const rows = config.feeds
        .map((feed) => {
          const state = states.get(feed.id);
          if (!state) throw new Error(`no state for ${feed.id}`);
          const health = feed.enabled ? feedHealth(state, 1, now) : "disabled";
          // A permanent move stands while the config still names the URL it was moved from.
          const url = currentUrl(feed, state);
          return { feed, state, health, url, movedFrom: url === feed.url ? null : feed.url };
        })
        .sort(
          (a, b) =>
            HEALTH_ORDER[a.health] - HEALTH_ORDER[b.health] || a.feed.id.localeCompare(b.feed.id),
        );
      if (values.json) {
        for (const { feed, state, health, url, movedFrom } of rows) {
          io.stdout.write(
            `${JSON.stringify({ id: feed.id, ...state, url, movedFrom, enabled: feed.enabled, health })}\n`,
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
      const archives = rows.filter((r) => r.state.itemsOverCap !== null);
      if (archives.length > 0) {
        io.stdout.write(
          `\nListing more than defaults.maxItems (${config.defaults.maxItems}); only the newest are read:\n`,
        );
        for (const { feed, state } of archives)
          io.stdout.write(`  ${feed.id}: lists ${state.itemsOverCap} items\n`);
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

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export default feeds;
