import { sendDigest } from "../../digest/send-digest.ts";
import { CONFIG_OPTION, parseFlags } from "../args.ts";
import { type Command, EXIT, UsageError } from "../command.ts";
import { withContext } from "../load-for-command.ts";
import { deliverNow } from "../with-delivery-workers.ts";

const digest: Command = {
  name: "digest",
  summary:
    "send pending digests now, whatever their schedule (the next scheduled one covers what comes after)",
  usage: "newswatch digest --now [--subscriber ID] [--config FILE]",
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      ...CONFIG_OPTION,
      now: { type: "boolean" },
      subscriber: { type: "string" },
    });
    if (!values.now) throw new UsageError("say --now: digests otherwise go out on their schedule");
    return withContext(values.config, io, async (ctx) => {
      const all = await ctx.subscribers();
      const chosen = values.subscriber ? all.filter((s) => s.id === values.subscriber) : all;
      if (values.subscriber && chosen.length === 0)
        throw new UsageError(`unknown subscriber ${values.subscriber}`);
      const periodKey = `now-${Date.now()}`;
      const lines: string[] = [];
      const tally = await deliverNow(
        ctx,
        async () => {
          const ids: string[] = [];
          for (const sub of chosen) {
            const outcome = await sendDigest(
              sub,
              "digest",
              periodKey,
              `sent on request, ${new Date().toISOString()}`,
              {
                redis: ctx.redis,
                keys: ctx.keys,
                pending: ctx.stores.pending,
                enqueue: ctx.enqueue,
                stories: ctx.stores.stories,
                log: ctx.log,
              },
            );
            lines.push(
              `${sub.id}: ${outcome.status === "empty" ? "nothing pending" : `${outcome.entries} entries`}`,
            );
            ids.push(...outcome.deliveryIds);
          }
          return ids;
        },
        30_000,
      );
      io.stdout.write(
        `${lines.join("\n")}\ndigests: ${tally.delivered} delivered, ${tally.failed + tally.pending} failed\n`,
      );
      for (const f of tally.failures) io.stdout.write(`  ${f.deliveryId}: ${f.reason}\n`);
      return tally.failed + tally.pending > 0 ? EXIT.failed : EXIT.ok;
    });
  },
};

export default digest;
