import { shippedListEntries } from "../../config/shipped-lists.ts";
import type { SnippetSegment } from "../../model/alert.ts";
import type { FeedItem } from "../../model/item.ts";
import { toMatchDocument } from "../../pipeline/process-items.ts";
import { buildSnippet, compileRules, type RuleSpec } from "../../rules/index.ts";
import { readItems } from "../../rules/read-items.ts";
import { CONFIG_OPTION, parseFlags } from "../args.ts";
import { type CliIO, type Command, EXIT, UsageError } from "../command.ts";
import { loadOrReport } from "../load-for-command.ts";
import { readInput } from "../read-input.ts";

const USAGE = `newswatch match --query QUERY [--no-stem] [--json] FILE...
newswatch match [--config FILE] [--watchlist ID]... [--json] FILE...

Runs a query, or the config's watchlists, over feed files (RSS, Atom, RDF, JSON Feed) or text
files (first line the title, the rest the content) and prints each matching item with the
matched words highlighted. FILE may be - for standard input.
  --query, -q      the query to run (lists from --config are available as @name)
  --watchlist, -w  only this watchlist of the config (repeatable)
  --no-stem        match words as written (the query's stemming: false)
  --json           one JSON object a line: {watchlist, itemId, title, link, matched}
Exit status: 0 if anything matched, 1 if nothing did, 2 on errors (like grep).`;

/** Highlighted snippet: ANSI bold on a terminal, «markers» otherwise (pipes, files). */
function render(segments: SnippetSegment[], tty: boolean): string {
  return segments
    .map((s) => (s.hit ? (tty ? `\x1b[1m${s.text}\x1b[22m` : `«${s.text}»`) : s.text))
    .join("");
}

/** The rules to run: the --query alone, or the config's watchlists (all, or those named). */
async function rulesFrom(
  values: { query?: string; config?: string; watchlist?: string[]; "no-stem"?: boolean },
  io: CliIO,
): Promise<{ rules: RuleSpec[]; lists: Record<string, string[]> } | null> {
  if (values.query !== undefined) {
    // Without a config, the shipped concept lists alone (@indirect_fire, @iraq_places, ...).
    let lists: Record<string, string[]> = shippedListEntries();
    if (values.config !== undefined) {
      const loaded = await loadOrReport(values.config, io);
      if (!loaded) return null;
      lists = loaded.config.lists;
    }
    return { rules: [{ id: "query", query: values.query, stemming: !values["no-stem"] }], lists };
  }
  const loaded = await loadOrReport(values.config, io);
  if (!loaded) return null;
  let watchlists = loaded.config.watchlists;
  if (values.watchlist?.length) {
    const wanted = new Set(values.watchlist);
    const unknown = [...wanted].filter((id) => !watchlists.some((w) => w.id === id));
    if (unknown.length > 0) throw new UsageError(`no watchlist with id ${unknown.join(", ")}`);
    watchlists = watchlists.filter((w) => wanted.has(w.id));
  }
  const rules = watchlists.map((w) => ({ id: w.id, query: w.query, stemming: w.stemming }));
  return { rules, lists: loaded.config.lists };
}

const match: Command = {
  name: "match",
  summary:
    "run a query or the watchlists over feed or text files (exit 0 matched, 1 none, 2 error)",
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      {
        ...CONFIG_OPTION,
        query: { type: "string", short: "q" },
        watchlist: { type: "string", short: "w", multiple: true },
        "no-stem": { type: "boolean" },
        json: { type: "boolean" },
      },
      true,
    );
    if (values.help) {
      io.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    if (positionals.length === 0) throw new UsageError("name at least one FILE (or - for stdin)");
    if (values.query !== undefined && values.watchlist) {
      throw new UsageError("--query and --watchlist do not go together");
    }
    const source = await rulesFrom(values, io);
    if (!source) return EXIT.usage;
    const { ruleSet, problems } = compileRules(source.rules, source.lists);
    for (const p of problems) {
      const where = p.ruleId === "query" ? "--query" : `watchlist ${p.ruleId}`;
      io.stderr.write(`${where}: ${p.message}\n`);
    }
    if (values.query !== undefined && problems.length > 0) return EXIT.usage;

    const tty = (io.stdout as { isTTY?: boolean }).isTTY === true && !io.env.NO_COLOR;
    let matched = 0;
    let errors = problems.length > 0;
    for (const file of positionals) {
      let items: FeedItem[];
      try {
        items = await readItems(await readInput(file, io), file);
      } catch (err) {
        io.stderr.write(`${file}: ${(err as Error).message}\n`);
        errors = true;
        continue;
      }
      for (const item of items) {
        const doc = toMatchDocument(item);
        for (const m of ruleSet.match(doc)) {
          matched++;
          if (values.json) {
            const line = {
              watchlist: m.ruleId,
              itemId: item.id,
              title: item.title,
              link: item.link,
              matched: m.matched,
            };
            io.stdout.write(`${JSON.stringify(line)}\n`);
            continue;
          }
          const head = `${file}: [${m.ruleId}] ${item.title || "(untitled)"}`;
          const link = item.link ? `\n  ${item.link}` : "";
          io.stdout.write(`${head}${link}\n  ${render(buildSnippet(doc, m.matched), tty)}\n\n`);
        }
      }
    }
    if (errors) return EXIT.usage;
    return matched > 0 ? EXIT.ok : EXIT.failed;
  },
};

export default match;
