import { existsSync } from "node:fs";
import { resolveConfigPath } from "../../config/load.ts";
import { shippedListEntries } from "../../config/shipped-lists.ts";
import { readItems } from "../../rules/read-items.ts";
import { type Example, suggestQuery, suggestRule } from "../../rules/suggest.ts";
import type { AppContext } from "../../runtime/context.ts";
import type { FeedbackVote } from "../../store/feedback.ts";
import { RECENT_WINDOW_MS, type RecentItem } from "../../store/recent-items.ts";
import { proposeExclusions } from "../../subscriptions/exclusions.ts";
import { previewQuery } from "../../subscriptions/preview.ts";
import { CONFIG_OPTION, parseFlags } from "../args.ts";
import { type CliIO, type Command, EXIT, UsageError } from "../command.ts";
import { loadOrReport, openContext, withContext } from "../load-for-command.ts";
import { readInput } from "../read-input.ts";

const USAGE = `newswatch suggest FILE|- [FILE...] [--not FILE]... [--config FILE]
newswatch suggest --watchlist ID [--config FILE]

Reads example articles (plain text with the title on the first line, an HTML page, or a
feed file, whose first item is used) and proposes a watchlist query: what happened, what was
hit and where, mapped to the concept lists (@indirect_fire, @iraq_sites, ...), with the reason
for each part. --not names a report the query must not match (a launch, a drill): it learns
exclusions from it. The query matches every example and no --not report, or the output says
which it could not separate. With a config (--config, NEWSWATCH_CONFIG or
config/newswatch.yaml), its lists are used and the last 7 days' stored items are counted.

With --watchlist, the examples are the watchlist's alerts readers marked "Useful" and the
negatives those they marked "Not relevant": the query is built from the useful ones, and
words common in the not-relevant ones and rare in the useful ones are added as -word.`;

/** One example from a file: its first item, or a message saying why there is none. */
async function readExample(file: string, io: CliIO): Promise<Example | string> {
  try {
    const [item] = await readItems(await readInput(file, io), file);
    if (!item) return `${file}: the feed has no items`;
    const example = { title: item.title.replaceAll("\n", " "), text: item.text };
    // The same test the keyword engine makes: no word worth watching for.
    if (suggestQuery(`${example.title}\n${example.text}`).query === "") {
      return `${file}: no usable words: the text has no key words to watch for`;
    }
    return example;
  } catch (err) {
    return `${file}: ${(err as Error).message}`;
  }
}

interface Corpus {
  lists: Record<string, string[]>;
  recent: RecentItem[] | null;
  /** Why the recent items were not counted. */
  note?: string;
}

/** The config's lists and its stored items when there is a config; else the shipped lists. */
async function corpusFor(flag: string | undefined, io: CliIO): Promise<Corpus | number> {
  const file = resolveConfigPath(flag, io.env, io.cwd);
  if (flag === undefined && !existsSync(file)) {
    return { lists: shippedListEntries(), recent: null, note: "no config, no stored items" };
  }
  const loaded = await loadOrReport(flag, io);
  if (!loaded) return EXIT.usage;
  const opened = await openContext(flag, io);
  if (typeof opened === "number") {
    return { lists: loaded.config.lists, recent: null, note: "Redis is not reachable" };
  }
  try {
    const recent = await opened.ctx.stores.recent.list(Date.now() - RECENT_WINDOW_MS);
    return { lists: loaded.config.lists, recent };
  } finally {
    await opened.ctx.close();
  }
}

function printCounts(query: string, corpus: Corpus, io: CliIO): void {
  if (!corpus.recent) {
    io.stdout.write(`\nlast 7 days: not counted (${corpus.note})\n`);
    return;
  }
  const preview = previewQuery(query, { lists: corpus.lists, now: Date.now() }, corpus.recent);
  const days = preview.perDay.map((d) => `${d.day.slice(5)} ${d.count}`).join(", ");
  io.stdout.write(
    `\nlast 7 days: ${preview.total} of ${corpus.recent.length} stored items would have matched (${days})\n`,
  );
  for (const hit of preview.items.slice(0, 5)) io.stdout.write(`  ${hit.title}\n`);
}

const suggest: Command = {
  name: "suggest",
  summary: "propose a watchlist query from example articles (and reports it must not match)",
  usage: USAGE,
  async run(argv, io) {
    const { positionals, values } = parseFlags(
      argv,
      { ...CONFIG_OPTION, not: { type: "string", multiple: true }, watchlist: { type: "string" } },
      true,
    );
    if (values.watchlist !== undefined) {
      if (positionals.length > 0) throw new UsageError("give either FILE or --watchlist, not both");
      const id = values.watchlist;
      return withContext(values.config, io, (ctx) => suggestFromVotes(ctx, id, io));
    }
    if (positionals.length === 0) throw new UsageError("name a FILE, or - for standard input");
    const read = async (files: string[]) => Promise.all(files.map((f) => readExample(f, io)));
    const examples = await read(positionals);
    const negatives = await read(values.not ?? []);
    const problems = [...examples, ...negatives].filter((e) => typeof e === "string");
    if (problems.length > 0) {
      io.stderr.write(`${problems.join("\n")}\n`);
      return EXIT.usage;
    }
    const corpus = await corpusFor(values.config, io);
    if (typeof corpus === "number") return corpus;
    const recent = (corpus.recent ?? []).map((r) => ({ title: r.item.title, text: r.item.text }));
    const s = suggestRule(examples as Example[], negatives as Example[], {
      lists: corpus.lists,
      recent,
    });
    io.stdout.write(`${s.query}\n\nwhy:\n${s.reasons.map((r) => `  ${r}`).join("\n")}\n`);
    for (const title of s.unseparated.examples)
      io.stdout.write(`\ncould not separate: the query does not match the example "${title}"\n`);
    for (const title of s.unseparated.negatives)
      io.stdout.write(`\ncould not separate: the query still matches "${title}" (--not)\n`);
    printCounts(s.query, corpus, io);
    const separated = s.unseparated.examples.length + s.unseparated.negatives.length === 0;
    return separated ? EXIT.ok : EXIT.failed;
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
