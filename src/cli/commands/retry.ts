import type { Job } from "bullmq";
import { CONFIG_OPTION, parseFlags } from "../args.ts";
import { type Command, EXIT, UsageError } from "../command.ts";
import { withContext } from "../load-for-command.ts";
import { deliverNow } from "../with-delivery-workers.ts";

const retry: Command = {
  name: "retry",
  summary: "send failed deliveries again (idempotently: delivered ones are never sent twice)",
  usage: "newswatch retry ALERT_ID... | --all-failed [--config FILE]",
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      { ...CONFIG_OPTION, "all-failed": { type: "boolean" } },
      true,
    );
    if (!values["all-failed"] && positionals.length === 0)
      throw new UsageError("name an alert id, or say --all-failed");
    return withContext(values.config, io, async (ctx) => {
      const failed: Job[] = [];
      for (const queue of [ctx.queues.deliver, ctx.queues.email])
        failed.push(...(await queue.getFailed(0, 10_000)));
      const chosen = values["all-failed"]
        ? failed
        : failed.filter((job) =>
            positionals.some((id) => job.id === id || job.id?.startsWith(`${id}.`)),
          );
      if (chosen.length === 0) {
        io.stderr.write(
          `no failed deliveries${values["all-failed"] ? "" : ` for ${positionals.join(", ")}`}\n`,
        );
        return EXIT.failed;
      }
      const tally = await deliverNow(
        ctx,
        async () => {
          // A fresh attempt count: a job that used up its attempts would otherwise get
          // exactly one more, and then fail for good at its first 4xx.
          for (const job of chosen)
            await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
          return chosen.map((job) => job.id as string);
        },
        30_000,
      );
      io.stdout.write(
        `retried ${chosen.length}: ${tally.delivered} delivered, ${tally.failed + tally.pending} failed\n`,
      );
      for (const f of tally.failures) io.stdout.write(`  ${f.deliveryId}: ${f.reason}\n`);
      return tally.failed + tally.pending > 0 ? EXIT.failed : EXIT.ok;
    });
  },
};

export default retry;
