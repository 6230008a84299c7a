import { existsSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { isMap, isSeq, parseDocument, stringify } from "yaml";
import { resolveConfigPath } from "../../config/load.ts";
import { decodeBody } from "../../feeds/decode.ts";
import { FetchError } from "../../feeds/fetch-error.ts";
import { type FeedEntry, readOpml } from "../../feeds/opml.ts";
import { CONFIG_OPTION, parseFlags } from "../args.ts";
import { type Command, EXIT, UsageError } from "../command.ts";

const importOpml: Command = {
  name: "import-opml",
  summary: "turn an OPML subscription list into feed entries (print YAML, or append with --write)",
  usage: [
    "newswatch import-opml FILE [--write] [--config FILE]",
    "",
    "Reads the feeds of an OPML export (from any feed reader) and prints them as YAML",
    "entries for the config's `feeds:` list. Ids are made from the titles and never collide",
    "with the config's; feeds the config already has are skipped.",
    "  --write    append the new entries to the config file's feeds: list (comments are kept)",
    "  --config   the config file (default config/newswatch.yaml, or NEWSWATCH_CONFIG)",
  ].join("\n"),
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      { ...CONFIG_OPTION, write: { type: "boolean" } },
      true,
    );
    if (values.help) {
      io.stdout.write(`${importOpml.usage}\n`);
      return EXIT.ok;
    }
    const [file, ...extra] = positionals;
    if (!file || extra.length > 0) throw new UsageError("give exactly one OPML file");
    const opmlPath = path.resolve(io.cwd, file);
    const configPath = resolveConfigPath(values.config, io.env, io.cwd);

    let opml: string;
    try {
      opml = decodeBody(await readFile(opmlPath), null);
    } catch (err) {
      io.stderr.write(`${opmlPath}: cannot read: ${(err as Error).message}\n`);
      return EXIT.usage;
    }
    const config = existsSync(configPath) ? await readConfig(configPath) : null;
    if (values.write && !config) {
      io.stderr.write(`${configPath}: no such config file to write to (use --config)\n`);
      return EXIT.usage;
    }

    let result: ReturnType<typeof readOpml>;
    try {
      result = readOpml(opml, config?.ids ?? [], config?.urls ?? []);
    } catch (err) {
      if (err instanceof FetchError) {
        io.stderr.write(`${opmlPath}: ${err.message}\n`);
        return EXIT.usage;
      }
      throw err;
    }
    for (const s of result.skipped) io.stderr.write(`skipped ${s.url}: ${s.reason}\n`);
    if (result.entries.length === 0) {
      io.stderr.write(`${opmlPath}: no new feeds to import\n`);
      return result.skipped.length > 0 ? EXIT.ok : EXIT.failed;
    }
    if (!values.write || !config) {
      io.stdout.write(stringify({ feeds: result.entries }));
      return EXIT.ok;
    }
    await appendFeeds(configPath, config.text, result.entries);
    io.stdout.write(
      `${configPath}: added ${result.entries.length} feeds (${result.skipped.length} skipped)\n`,
    );
    return EXIT.ok;
  },
};

export default importOpml;

interface ConfigView {
  text: string;
  ids: string[];
  urls: string[];
}

async function readConfig(file: string): Promise<ConfigView> {
  const text = await readFile(file, "utf8");
  const doc = parseDocument(text);
  const feeds = doc.get("feeds");
  const ids: string[] = [];
  const urls: string[] = [];
  if (isSeq(feeds)) {
    for (const item of feeds.items) {
      if (!isMap(item)) continue;
      const id = item.get("id");
      const url = item.get("url");
      if (typeof id === "string") ids.push(id);
      if (typeof url === "string") urls.push(url);
    }
  }
  return { text, ids, urls };
}

/**
 * Appends through yaml's Document API so the file's comments, key order and quoting survive,
 * and replaces the file by rename so a crash never leaves half a config behind.
 */
async function appendFeeds(file: string, text: string, entries: FeedEntry[]): Promise<void> {
  const doc = parseDocument(text);
  const feeds = doc.get("feeds");
  if (isSeq(feeds)) {
    for (const entry of entries) feeds.add(doc.createNode(entry));
  } else {
    doc.set("feeds", doc.createNode(entries));
  }
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, doc.toString());
  await rename(tmp, file);
}
