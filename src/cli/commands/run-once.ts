import { parseDuration } from "../../config/duration.ts";
import { keepHeapNearLiveSize } from "../../runtime/heap.ts";
import { type RunSummary, runOnce } from "../../runtime/run-once.ts";
import { CONFIG_OPTION, parseFlags } from "../args.ts";
import { type CliIO, type Command, EXIT, UsageError } from "../command.ts";
import { withContext } from "../load-for-command.ts";

const runOnceCommand: Command = {
  name: "run-once",
  summary:
    "poll every enabled feed once, deliver what matched, print a summary (exit 1 if anything failed)",
  usage:
    "newswatch run-once [--config FILE] [--feed ID]... [--retry-for DURATION] [--force] [--json]",
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      ...CONFIG_OPTION,
      feed: { type: "string", multiple: true },
      "retry-for": { type: "string" },
      // Also poll feeds whose publisher asked for a pause (429/503 Retry-After not yet passed).
      force: { type: "boolean" },
      json: { type: "boolean" },
    });
    const retryForMs = values["retry-for"] ? parseDuration(values["retry-for"]) : 30_000;
    if (retryForMs === null)
      throw new UsageError(
        `--retry-for: "${values["retry-for"]}" is not a duration (e.g. 30s, 2m)`,
      );
    return withContext(values.config, io, async (ctx) => {
      keepHeapNearLiveSize();
      const unknown = (values.feed ?? []).filter((id) => !ctx.snapshot().feeds.has(id));
      if (unknown.length > 0) throw new UsageError(`unknown feed ${unknown.join(", ")}`);
      const summary = await runOnce(ctx, {
        retryForMs,
        feedIds: values.feed,
        force: values.force ?? false,
      });
      if (values.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
      else printSummary(summary, io);
      // A skipped feed is not a failure: the publisher asked to wait, and the run did.
      const anyFailed =
        summary.feeds.some((f) => f.status === "failed") ||
        summary.deliveries.failed + summary.deliveries.pending > 0;
      return anyFailed ? EXIT.failed : EXIT.ok;
    });
  },
};

function printSummary(summary: RunSummary, io: CliIO): void {
  const feeds = summary.feeds;
  const ok = feeds.filter((f) => f.status === "ok" || f.status === "not-modified").length;
  const failed = feeds.filter((f) => f.status === "failed");
  const sum = (pick: (f: (typeof feeds)[number]) => number) =>
    feeds.reduce((n, f) => n + pick(f), 0);
  const lines = [
    `feeds:   ${ok} ok, ${failed.length} failed${feeds.some((f) => f.status === "skipped") ? `, ${feeds.filter((f) => f.status === "skipped").length} skipped` : ""}`,
    `items:   ${sum((f) => f.newItems)} new, ${sum((f) => f.matchedItems)} matched`,
    `alerts:  ${summary.deliveries.delivered} delivered, ${summary.deliveries.failed + summary.deliveries.pending} failed${summary.deliveries.pending ? ` (${summary.deliveries.pending} still retrying, left queued)` : ""}, ${sum((f) => f.digested)} filed for digests`,
  ];
  for (const f of failed)
    lines.push(`  feed ${f.feedId}: ${f.error?.category}: ${f.error?.message}`);
  for (const f of feeds)
    if (f.note)
      lines.push(`  feed ${f.feedId}${f.status === "skipped" ? " skipped" : ""}: ${f.note}`);
  for (const d of summary.deliveries.failures)
    lines.push(`  delivery ${d.deliveryId}: ${d.reason}`);
  io.stdout.write(`${lines.join("\n")}\n`);
}

export default runOnceCommand;
