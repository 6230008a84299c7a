import { readItems } from "../../rules/read-items.ts";
import { suggestQuery } from "../../rules/suggest.ts";
import { parseFlags } from "../args.ts";
import { type Command, EXIT, UsageError } from "../command.ts";
import { readInput } from "../read-input.ts";

const USAGE = `newswatch suggest FILE|-

Reads an example article (plain text with the title on the first line, an HTML page, or a
feed file, whose first item is used) and proposes a watchlist query built from its key words
and names, with the reason for each part. Paste the query into a watchlist and adjust.`;

const suggest: Command = {
  name: "suggest",
  summary: "propose a watchlist query from an example article",
  usage: USAGE,
  async run(argv, io) {
    const { positionals } = parseFlags(argv, {}, true);
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
    const { query, reasons } = suggestQuery(`${title.replaceAll("\n", " ")}\n${content}`);
    if (query === "") {
      io.stderr.write(`${file}: ${reasons.join("; ")}\n`);
      return EXIT.failed;
    }
    io.stdout.write(`${query}\n\nwhy:\n${reasons.map((r) => `  ${r}`).join("\n")}\n`);
    return EXIT.ok;
  },
};

export default suggest;
