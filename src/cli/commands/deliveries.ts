import { CONFIG_OPTION, parseFlags } from "../args.ts";
import { type Command, EXIT } from "../command.ts";
import { withContext } from "../load-for-command.ts";
import { table } from "../table.ts";

const deliveries: Command = {
  name: "deliveries",
  summary: "show the audit trail of delivery attempts (newest first)",
  usage: [
    "newswatch deliveries [--subscriber ID] [--failed [--all]] [--limit N] [--json] [--config FILE]",
    "",
    "  --failed         deliveries that are failed now: their latest attempt failed (one that",
    "                   later went through, e.g. with `newswatch retry`, is no longer listed)",
    "  --failed --all   every failed attempt in the audit, including those later delivered",
    "  --limit N        at most N attempts (default 50)",
  ].join("\n"),
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      ...CONFIG_OPTION,
      subscriber: { type: "string" },
      failed: { type: "boolean" },
      all: { type: "boolean" },
      limit: { type: "string" },
      json: { type: "boolean" },
    });
    return withContext(values.config, io, async (ctx) => {
      const attempts = await ctx.stores.deliveries.listAttempts({
        subscriberId: values.subscriber,
        failedNow: values.failed && !values.all,
        failedOnly: values.failed && values.all,
        limit: values.limit ? Number(values.limit) : 50,
      });
      if (values.json) {
        for (const a of attempts) io.stdout.write(`${JSON.stringify(a)}\n`);
        return EXIT.ok;
      }
      io.stdout.write(
        table(
          ["TIME", "SUBSCRIBER", "CHANNEL", "MESSAGE", "ATTEMPT", "OUTCOME", "DETAIL"],
          attempts.map((a) => [
            a.at.replace("T", " ").slice(0, 19),
            a.subscriberId,
            a.channel,
            a.messageId,
            String(a.attempt),
            a.outcome,
            a.detail.slice(0, 80),
          ]),
        ),
      );
      return EXIT.ok;
    });
  },
};

export default deliveries;
