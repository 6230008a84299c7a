import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Document, isNode, LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { PACKAGE_ROOT } from "../package-root.ts";
import { ConfigError, formatPath } from "./problem.ts";

/**
 * The concept lists that ship with newswatch (config/lists/NAME.yaml), usable in any query as
 * `@NAME`. They sit beside the code, not beside the user's config: a config in /etc still
 * finds them, and a deployment updates them with the code.
 */
export const SHIPPED_LISTS_DIR = path.join(PACKAGE_ROOT, "config", "lists");

const term = z.strictObject({
  /** English forms: spelling variants and phrases; the first names the term. */
  en: z.array(z.string().min(1)).min(1),
  /** Arabic forms as they are written in the news. */
  ar: z.array(z.string().min(1)).default([]),
  /** Why a term is worded as it is (a trap avoided, a source). */
  note: z.string().optional(),
});

const excluded = z.strictObject({ name: z.string().min(1), reason: z.string().min(1) });

export const listFileSchema = z.strictObject({
  description: z.string().min(1),
  terms: z.array(term).min(1),
  /** Names left out on purpose, each with its reason (the gazetteer trap: "Hit"). */
  excluded: z.array(excluded).default([]),
});

export type ListFile = z.infer<typeof listFileSchema>;

export interface ShippedList {
  name: string;
  description: string;
  file: string;
  /** Every form of every term, English then Arabic, without repeats: what `@name` expands to. */
  entries: string[];
  terms: ListFile["terms"];
  excluded: ListFile["excluded"];
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Parses one list file; problems name the file, the key path and the line. */
export function parseListFile(text: string, file: string): ShippedList {
  const name = path.basename(file).replace(/\.ya?ml$/, "");
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const at = e.linePos?.[0];
        const where = at ? ` (line ${at.line}, column ${at.col})` : "";
        const message = (e.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
        return `${file}: YAML syntax: ${message}${where}`;
      }),
    );
  }
  if (!NAME.test(name)) {
    throw new ConfigError([`${file}: a list's file name must be letters, digits and _`]);
  }
  const parsed = listFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const at = issue.path as (string | number)[];
        return `${file}: ${formatPath(at)}: ${issue.message}${lineOf(at, doc, lines)}`;
      }),
    );
  }
  const entries = [...new Set(parsed.data.terms.flatMap((t) => [...t.en, ...t.ar]))];
  return { name, file, ...parsed.data, entries };
}

function lineOf(keyPath: (string | number)[], doc: Document, lines: LineCounter): string {
  for (let depth = keyPath.length; depth >= 0; depth--) {
    const node = doc.getIn(keyPath.slice(0, depth), true);
    if (isNode(node) && node.range) return ` (line ${lines.linePos(node.range[0]).line})`;
  }
  return "";
}

/**
 * Where the build leaves the shipped lists parsed and checked (scripts/build.js). A cold
 * process takes about 200 ms to parse these 26 KB of YAML (a fifth of a `run-once` with no
 * news) and under 1 ms to read the same lists as JSON.
 */
export const COMPILED_LISTS = path.join(PACKAGE_ROOT, "dist", "lists.json");

interface CompiledLists {
  files: string[];
  lists: ShippedList[];
}

let cache: ReadonlyMap<string, ShippedList> | null = null;

/**
 * Every shipped list, read once per process: from the build's JSON when it is newer than
 * every list file and names the same files, otherwise from the YAML. A file that does not
 * parse throws a ConfigError naming it and its line: newswatch does not start with a broken
 * list.
 */
export function shippedLists(
  dir = SHIPPED_LISTS_DIR,
  compiled = COMPILED_LISTS,
): ReadonlyMap<string, ShippedList> {
  const shipped = dir === SHIPPED_LISTS_DIR && compiled === COMPILED_LISTS;
  if (shipped && cache) return cache;
  const shown = shownDir(dir);
  const files = listFiles(dir);
  const lists = readCompiled(dir, files, compiled) ?? parseAll(dir, files);
  const found = new Map(lists.map((l) => [l.name, { ...l, file: path.join(shown, l.file) }]));
  if (shipped) cache = found;
  return found;
}

/** The directory as messages name it: relative to where the command runs, when below it. */
function shownDir(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative.startsWith("..") ? dir : relative;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
}

/** Each list with `file` relative to the lists directory. */
function parseAll(dir: string, files: string[]): ShippedList[] {
  const lists: ShippedList[] = [];
  const problems: string[] = [];
  const shown = shownDir(dir);
  for (const f of files) {
    try {
      const list = parseListFile(readFileSync(path.join(dir, f), "utf8"), path.join(shown, f));
      lists.push({ ...list, file: f });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return lists;
}

function readCompiled(dir: string, files: string[], compiled: string): ShippedList[] | null {
  try {
    const builtAt = statSync(compiled).mtimeMs;
    if (files.some((f) => statSync(path.join(dir, f)).mtimeMs > builtAt)) return null;
    const data = JSON.parse(readFileSync(compiled, "utf8")) as CompiledLists;
    return data.files.join("\n") === files.join("\n") ? data.lists : null;
  } catch {
    return null; // no build, or one from another version: the YAML is the source
  }
}

/** Writes the lists of `dir` as the build's JSON (scripts/build.js); throws on a broken list. */
export function compileLists(dir = SHIPPED_LISTS_DIR, out = COMPILED_LISTS): void {
  const files = listFiles(dir);
  const data: CompiledLists = { files, lists: parseAll(dir, files) };
  writeFileSync(out, JSON.stringify(data));
}

/** The shipped lists as `@name` expansions, the shape the rules stage takes. */
export function shippedListEntries(dir?: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, list] of shippedLists(dir)) out[name] = list.entries;
  return out;
}
