import { channelsOff } from "../../alerts/reachability.ts";
import { CHANNELS, settingOf, spellChoices } from "../../channels/registry.ts";
import { receivesDigests, type Subscriber } from "../../model/subscriber.ts";
import type { AppContext } from "../../runtime/context.ts";
import { nextDigestTime } from "../../scheduler/digest-times.ts";
import { CONFIG_OPTION, parseFlags } from "../args.ts";
import { type CliIO, type Command, EXIT, UsageError } from "../command.ts";
import { withContext } from "../load-for-command.ts";
import { table } from "../table.ts";

function localTime(at: Date, timezone: string): string {
  return `${new Intl.DateTimeFormat("sv-SE", { timeZone: timezone, dateStyle: "short", timeStyle: "short" }).format(at)} ${timezone}`;
}

const KINDS = CHANNELS.map((c) => c.kind);

/** The subscriber's channel settings that are set, each with its module. */
function settingsOf(sub: Subscriber) {
  return CHANNELS.flatMap((channel) => {
    const value = settingOf(sub, channel.kind);
    return value ? [{ channel, value }] : [];
  });
}

const subscribers: Command = {
  name: "subscribers",
  summary:
    "list subscribers: watchlists, mode, status, next digest time; --reactivate turns a channel back on",
  usage: [
    "newswatch subscribers [--json] [--config FILE]",
    `newswatch subscribers --reactivate ID [--channel ${KINDS.join("|")}] [--config FILE]`,
    "",
    "Lists every subscriber, from the config and the API. A channel that is off is marked",
    "next to its address: (suppressed) after an SMTP bounce, (disabled) after a webhook's 410.",
    "  --reactivate ID   turn the subscriber's channels back on once the address or endpoint",
    "                    is fixed: email leaves suppression, a disabled webhook is enabled.",
    "                    Unsubscribed, paused and unconfirmed subscribers stay as they are.",
    "  --channel         only this channel (default: every channel the subscriber has)",
  ].join("\n"),
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      ...CONFIG_OPTION,
      json: { type: "boolean" },
      reactivate: { type: "string" },
      channel: { type: "string" },
    });
    const { reactivate, channel } = values;
    if (channel !== undefined && !reactivate)
      throw new UsageError("--channel goes with --reactivate ID");
    if (channel !== undefined && !KINDS.includes(channel))
      throw new UsageError(`--channel is ${spellChoices(KINDS)}, not ${channel}`);
    return withContext(values.config, io, async (ctx) => {
      if (reactivate) return reactivateChannels(ctx, io, reactivate, channel);
      const now = new Date();
      const rows = [];
      for (const sub of await ctx.subscribers()) {
        const record = await ctx.stores.statuses.get(sub.id);
        const next = receivesDigests(sub) ? nextDigestTime(sub.schedule, sub.timezone, now) : null;
        rows.push({ sub, status: record.status, off: channelsOff(record), next });
      }
      if (values.json) {
        for (const { sub, status, off, next } of rows) {
          io.stdout.write(
            `${JSON.stringify({
              id: sub.id,
              ...Object.fromEntries(KINDS.map((kind) => [kind, null])),
              ...Object.fromEntries(
                settingsOf(sub).map(({ channel, value }) => [channel.kind, channel.summary(value)]),
              ),
              mode: sub.mode,
              watchlists: sub.watchlists,
              status,
              disabledChannels: off,
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
          rows.map(({ sub, status, off, next }) => [
            sub.id,
            status,
            sub.mode,
            sub.watchlists
              .map((w) => (w.mode === sub.mode ? w.id : `${w.id} (${w.mode})`))
              .join(", "),
            settingsOf(sub)
              .map(
                ({ channel, value }) =>
                  `${channel.describe(value)}${off[channel.kind] ? ` (${channel.offLabel})` : ""}`,
              )
              .join(", "),
            next ? localTime(next, sub.timezone) : "-",
          ]),
        ),
      );
      return EXIT.ok;
    });
  },
};

async function reactivateChannels(
  ctx: AppContext,
  io: CliIO,
  id: string,
  channel: string | undefined,
): Promise<number> {
  const sub = await ctx.findSubscriber(id);
  if (!sub) throw new UsageError(`unknown subscriber ${id}`);
  const has = settingsOf(sub).map((s) => s.channel);
  if (channel && !has.some((c) => c.kind === channel))
    throw new UsageError(`subscriber ${id} has no ${channel}`);
  const turnedOn = await ctx.stores.statuses.reactivate(
    id,
    channel ? has.filter((c) => c.kind === channel) : has,
  );
  const { status } = await ctx.stores.statuses.get(id);
  io.stdout.write(
    turnedOn.length > 0
      ? `${id}: ${turnedOn.join(" and ")} turned back on (status ${status})\n`
      : `${id}: nothing was off${channel ? ` on ${channel}` : ""} (status ${status})\n`,
  );
  return EXIT.ok;
}

export default subscribers;
