import type { MatchedTerm } from "../alerts/alert.ts";
import { analyze, foldValue, type Token } from "./analyze.ts";
import { FIELD_BIT, type Field } from "./ast.ts";

/** What the matcher sees of an item. Categories are matched each as its own field value. */
export interface MatchDocument {
  feedId: string;
  title: string;
  content: string;
  author: string;
  categories: string[];
}

/** One analysed field value: title, content, author, or one category. */
export interface FieldText {
  field: Field;
  bit: number;
  text: string;
  tokens: Token[];
  /** Stem -> positions, for stemmed terms. */
  stems: Map<string, number[]>;
  /** Folded word -> positions, for unstemmed terms and prefixes; built on first use. */
  terms(): Map<string, number[]>;
}

/** An item analysed once, then shared by every rule verified against it. */
export interface AnalyzedDocument {
  doc: MatchDocument;
  fields: FieldText[];
  feed: string;
}

function positionsBy(tokens: Token[], key: (t: Token) => string): Map<string, number[]> {
  const map = new Map<string, number[]>();
  for (const t of tokens) {
    const k = key(t);
    const list = map.get(k);
    if (list) list.push(t.position);
    else map.set(k, [t.position]);
  }
  return map;
}

function fieldText(field: Field, text: string): FieldText {
  const tokens = analyze(text);
  let terms: Map<string, number[]> | undefined;
  return {
    field,
    bit: FIELD_BIT[field],
    text,
    tokens,
    stems: positionsBy(tokens, (t) => t.stem),
    terms: () => {
      terms ??= positionsBy(tokens, (t) => t.term);
      return terms;
    },
  };
}

/** Analyses every field of an item once; the matcher and the index both read the result. */
export function analyzeDocument(doc: MatchDocument): AnalyzedDocument {
  const fields = [fieldText("title", doc.title), fieldText("content", doc.content)];
  if (doc.author) fields.push(fieldText("author", doc.author));
  for (const c of doc.categories) fields.push(fieldText("category", c));
  return { doc, fields, feed: foldValue(doc.feedId) };
}

/** The explanation entry for tokens [from, to] of a field. */
export function matchedSpan(f: FieldText, term: string, from: number, to: number): MatchedTerm {
  const start = (f.tokens[from] as Token).start;
  const end = (f.tokens[to] as Token).end;
  return { field: f.field, term, text: f.text.slice(start, end), start, end };
}
