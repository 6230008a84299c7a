import { readItems } from "../../rules/read-items.ts";
import { suggestQuery } from "../../rules/suggest.ts";
import type { AppContext } from "../../runtime/context.ts";
import type { FeedbackVote } from "../../store/feedback.ts";
import { RECENT_WINDOW_MS } from "../../store/recent-items.ts";
import { proposeExclusions } from "../../subscriptions/exclusions.ts";
import { CONFIG_OPTION, parseFlags } from "../args.ts";
import { type CliIO, type Command, EXIT, UsageError } from "../command.ts";
import { withContext } from "../load-for-command.ts";
import { readInput } from "../read-input.ts";

const USAGE = `newswatch suggest FILE|-
newswatch suggest --watchlist ID [--config FILE]

Reads an example article (plain text with the title on the first line, an HTML page, or a
feed file, whose first item is used) and proposes a watchlist query built from its key words
and names, with the reason for each part. Paste the query into a watchlist and adjust.

With --watchlist, the examples are the watchlist's alerts readers marked "Useful" and the
negatives those they marked "Not relevant": the query is built from the useful ones, and
words common in the not-relevant ones and rare in the useful ones are added as -word.`;

const suggest: Command = {
  name: "suggest",
  summary: "propose a watchlist query from an example article, or from a watchlist's votes",
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      { ...CONFIG_OPTION, watchlist: { type: "string" } },
      true,
    );
    if (values.watchlist !== undefined) {
      if (positionals.length > 0) throw new UsageError("give either FILE or --watchlist, not both");
      const id = values.watchlist;
      return withContext(values.config, io, (ctx) => suggestFromVotes(ctx, id, io));
    }
    if (positionals.length !== 1) throw new UsageError("name one FILE, or - for standard input");
    const file = positionals[0] as string;
    let title: string;
    let content: string;
    try {
      const [item] = await readItems(await readInput(file, io), file);
      if (!item) throw new Error("the feed has no items");
      title = item.title;
      content = item.text;
    } catch (err) {
      io.stderr.write(`${file}: ${(err as Error).message}\n`);
      return EXIT.usage;
    }
    return print(suggestQuery(`${title.replaceAll("\n", " ")}\n${content}`), file, io);
  },
};

function print(s: { query: string; reasons: string[] }, source: string, io: CliIO): number {
  if (s.query === "") {
    io.stderr.write(`${source}: ${s.reasons.join("; ")}\n`);
    return EXIT.failed;
  }
  io.stdout.write(`${s.query}\n\nwhy:\n${s.reasons.map((r) => `  ${r}`).join("\n")}\n`);
  return EXIT.ok;
}

/**
 * The glue between votes and the suggester, kept here so it can follow the suggester's API:
 * the useful items are read as one article (the first one's title as its title line), so the
 * words they share score highest; the not-relevant ones become `-word` exclusions.
 */
async function suggestFromVotes(ctx: AppContext, id: string, io: CliIO): Promise<number> {
  await ctx.loadApiWatchlists();
  const known = [...ctx.snapshot().watchlists.keys()];
  if (!known.includes(id)) {
    io.stderr.write(`unknown watchlist "${id}" (known: ${known.join(", ") || "none"})\n`);
    return EXIT.usage;
  }
  const now = Date.now();
  const votes = await ctx.stores.feedback.list(id, 0, now);
  const useful = votes.filter((v) => v.vote === "useful");
  if (useful.length === 0) {
    io.stderr.write(
      `watchlist ${id}: no alert marked "Useful" yet (${votes.length} not relevant); readers vote with the links in each alert\n`,
    );
    return EXIT.failed;
  }
  const base = suggestQuery(examplesText(useful));
  if (base.query === "") return print(base, `watchlist ${id}`, io);
  const recent = await ctx.stores.recent.list(now - RECENT_WINDOW_MS);
  const exclusions = proposeExclusions(
    votes,
    { query: base.query, stemming: true },
    ctx.snapshot().config.lists,
    recent,
    now,
  );
  const bad = votes.length - useful.length;
  const query = exclusions.length
    ? `(${base.query}) ${exclusions.map((e) => `-${e.term}`).join(" ")}`
    : base.query;
  return print(
    {
      query,
      reasons: [
        `from ${useful.length} alert${useful.length === 1 ? "" : "s"} marked useful and ${bad} marked not relevant:`,
        ...base.reasons,
        ...(exclusions.length
          ? [
              "not (common in the not-relevant items, rare in the useful ones):",
              ...exclusions.map(
                (e) =>
                  `  -${e.term}: in ${e.notRelevant} of ${bad} not relevant, ${e.useful} of ${useful.length} useful`,
              ),
            ]
          : []),
      ],
    },
    `watchlist ${id}`,
    io,
  );
}

/** As the editor's paste: more text than this adds nothing a query could use. */
const MAX_EXAMPLE_CHARS = 100_000;

function examplesText(useful: FeedbackVote[]): string {
  const [first] = useful;
  const title = (first?.title ?? "").replaceAll("\n", " ");
  const body = useful.map((v) => `${v.title}.\n${v.text}`).join("\n\n");
  return `${title}\n${body}`.slice(0, MAX_EXAMPLE_CHARS);
}

export default suggest;
