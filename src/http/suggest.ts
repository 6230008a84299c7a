import { type Example, suggestRule } from "../rules/suggest.ts";

/** A suggested query and why each part was chosen, as `newswatch suggest` prints them. */
export interface Suggestion {
  query: string;
  /** Lines; a line indented by two spaces belongs to the heading line before it. */
  reasons: string[];
}

/** Longer pastes add nothing a query could use and would only cost time per request. */
const MAX_ARTICLE_CHARS = 100_000;

/**
 * The suggestion for a pasted article (title on the first line); `query` is "" when none. The
 * same code as `newswatch suggest`: the concept lists the config sees, exclusions learned from
 * the recent items.
 */
export function suggestFromText(
  text: string,
  lists: Record<string, string[]>,
  recent: Example[] = [],
): Suggestion {
  const pasted = text.slice(0, MAX_ARTICLE_CHARS);
  const newline = pasted.indexOf("\n");
  const example =
    newline < 0
      ? { title: pasted, text: "" }
      : { title: pasted.slice(0, newline), text: pasted.slice(newline + 1) };
  const { query, reasons } = suggestRule([example], [], { lists, recent });
  return { query, reasons };
}

/** The reasons as headings with their indented lines beneath, for a nested list. */
export function reasonTree(reasons: string[]): { text: string; children: string[] }[] {
  const tree: { text: string; children: string[] }[] = [];
  for (const line of reasons) {
    const last = tree.at(-1);
    if (line.startsWith("  ") && last) last.children.push(line.trim());
    else tree.push({ text: line, children: [] });
  }
  return tree;
}
