import { readdirSync, readFileSync } from "node:fs";
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

let cache: ReadonlyMap<string, ShippedList> | null = null;

/**
 * Every shipped list, read once per process. A file that does not parse throws a ConfigError
 * naming it and its line: newswatch does not start with a broken list.
 */
export function shippedLists(dir = SHIPPED_LISTS_DIR): ReadonlyMap<string, ShippedList> {
  if (dir === SHIPPED_LISTS_DIR && cache) return cache;
  const shown = path.relative(process.cwd(), dir).startsWith("..")
    ? dir
    : path.relative(process.cwd(), dir);
  const found = new Map<string, ShippedList>();
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const problems: string[] = [];
  for (const f of files) {
    try {
      const list = parseListFile(readFileSync(path.join(dir, f), "utf8"), path.join(shown, f));
      found.set(list.name, list);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  if (dir === SHIPPED_LISTS_DIR) cache = found;
  return found;
}

/** The shipped lists as `@name` expansions, the shape the rules stage takes. */
export function shippedListEntries(dir?: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, list] of shippedLists(dir)) out[name] = list.entries;
  return out;
}
