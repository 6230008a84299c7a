import { QueryError } from "./errors.ts";

export type LexKind = "(" | ")" | "," | "-" | "phrase" | "word" | "end";

export interface Lexeme {
  kind: LexKind;
  /** Words: the word as written; phrases: the text between the quotes. */
  text: string;
  /** Phrases only: written `"..."*`, the last word is a prefix. */
  prefix: boolean;
  /** Offsets into the query. */
  from: number;
  to: number;
}

const isSpace = (c: string): boolean => c === " " || c === "\t" || c === "\n" || c === "\r";
const ends = (c: string): boolean => isSpace(c) || c === "(" || c === ")" || c === '"' || c === ",";

/**
 * Splits a query into lexemes. Words are runs of anything but space, parentheses, quotes and
 * commas, so `al-asad`, `rocket*`, `title:x`, `@list` and `NEAR/5` each arrive whole and the
 * parser decides what they mean.
 */
export function lex(query: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  const push = (kind: LexKind, text: string, from: number, to: number, prefix = false) =>
    out.push({ kind, text, prefix, from, to });
  while (i < query.length) {
    const c = query[i] as string;
    if (isSpace(c)) {
      i++;
    } else if (c === "(" || c === ")" || c === ",") {
      push(c, c, i, i + 1);
      i++;
    } else if (c === '"') {
      const close = query.indexOf('"', i + 1);
      if (close < 0) throw new QueryError("unterminated phrase: missing closing '\"'", i + 1);
      const after = query[close + 1] === "*";
      const to = after ? close + 2 : close + 1;
      // Both "baghdad air"* (FTS5's way) and "baghdad air*" make the last word a prefix.
      const body = query.slice(i + 1, close);
      const inside = body.trimEnd().endsWith("*");
      push("phrase", inside ? body.trimEnd().slice(0, -1) : body, i, to, after || inside);
      i = to;
    } else if (c === "-" && i + 1 < query.length && !isSpace(query[i + 1] as string)) {
      // A leading minus is the NOT shorthand; inside a word (al-asad) it is just a separator.
      push("-", c, i, i + 1);
      i++;
    } else {
      let j = i;
      while (j < query.length && !ends(query[j] as string)) j++;
      push("word", query.slice(i, j), i, j);
      i = j;
    }
  }
  push("end", "", query.length, query.length);
  return out;
}
