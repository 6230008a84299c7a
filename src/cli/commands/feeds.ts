import { formatDuration } from "../../config/duration.ts";
import { feedHealth, HEALTH_ORDER } from "../../pipeline/feed-health.ts";
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
          return { feed, state, health };
        })
        .sort(
          (a, b) =>
            HEALTH_ORDER[a.health] - HEALTH_ORDER[b.health] || a.feed.id.localeCompare(b.feed.id),
        );
      if (values.json) {
        for (const { feed, state, health } of rows) {
          io.stdout.write(
            `${JSON.stringify({ id: feed.id, ...state, url: state.url ?? feed.url, enabled: feed.enabled, health })}\n`,
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
            health,
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
      return EXIT.ok;
    });
  },
};

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export default feeds;
