import { receivesDigests } from "../../alerts/subscriber.ts";
import { nextDigestTime } from "../../scheduler/digest-times.ts";
import { CONFIG_OPTION, parseFlags } from "../args.ts";
import { type Command, EXIT } from "../command.ts";
import { withContext } from "../load-for-command.ts";
import { table } from "../table.ts";

function localTime(at: Date, timezone: string): string {
  return `${new Intl.DateTimeFormat("sv-SE", { timeZone: timezone, dateStyle: "short", timeStyle: "short" }).format(at)} ${timezone}`;
}

const subscribers: Command = {
  name: "subscribers",
  summary: "list subscribers: watchlists, mode, status and next digest time in their timezone",
  usage: "newswatch subscribers [--config FILE] [--json]",
  async run(argv, io) {
    const { values } = parseFlags(argv, { ...CONFIG_OPTION, json: { type: "boolean" } });
    return withContext(values.config, io, async (ctx) => {
      const now = new Date();
      const rows = [];
      for (const sub of await ctx.subscribers()) {
        const { status } = await ctx.stores.statuses.get(sub.id);
        const next = receivesDigests(sub) ? nextDigestTime(sub.schedule, sub.timezone, now) : null;
        rows.push({ sub, status, next });
      }
      if (values.json) {
        for (const { sub, status, next } of rows) {
          io.stdout.write(
            `${JSON.stringify({
              id: sub.id,
              email: sub.email ?? null,
              webhook: sub.webhook ? { url: sub.webhook.url, format: sub.webhook.format } : null,
              mode: sub.mode,
              watchlists: sub.watchlists,
              status,
              timezone: sub.timezone,
              nextDigest: next?.toISOString() ?? null,
              nextDigestLocal: next ? localTime(next, sub.timezone) : null,
              source: sub.source,
            })}\n`,
          );
        }
        return EXIT.ok;
      }
      io.stdout.write(
        table(
          ["SUBSCRIBER", "STATUS", "MODE", "WATCHLISTS", "DELIVERS TO", "NEXT DIGEST"],
          rows.map(({ sub, status, next }) => [
            sub.id,
            status,
            sub.mode,
            sub.watchlists
              .map((w) => (w.mode === sub.mode ? w.id : `${w.id} (${w.mode})`))
              .join(", "),
            [sub.email, sub.webhook ? `webhook ${new URL(sub.webhook.url).host}` : null]
              .filter(Boolean)
              .join(", "),
            next ? localTime(next, sub.timezone) : "-",
          ]),
        ),
      );
      return EXIT.ok;
    });
  },
};

export default subscribers;
