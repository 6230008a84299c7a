import type { MatchedTerm } from "../alerts/alert.ts";
import { foldValue, type Mark, scan, type Word } from "./analyze.ts";
import { FIELD_BIT, type Field } from "./ast.ts";
import { nextStamp, note } from "./marks.ts";

/** What the matcher sees of an item. Categories are matched each as its own field value. */
export interface MatchDocument {
  feedId: string;
  title: string;
  content: string;
  author: string;
  categories: string[];
}

/**
 * One analysed field value: title, content, author, or one category. Positions of a word are
 * a chain: `heads` gives the first, `next[p]` the one after p (-1 ends it). Chains avoid an
 * array per distinct word, which matters at tens of thousands of items a second.
 */
export class FieldText {
  readonly bit: number;
  readonly words: Word[];
  readonly starts: number[];
  readonly ends: number[];
  /** Distinct words, and the first position of each. */
  readonly distinct: Word[] = [];
  private readonly heads: number[] = [];
  private readonly next: Int32Array;

  constructor(
    readonly field: Field,
    readonly text: string,
  ) {
    this.bit = FIELD_BIT[field];
    const s = scan(text);
    this.words = s.words;
    this.starts = s.starts;
    this.ends = s.ends;
    const n = s.words.length;
    this.next = new Int32Array(n);
    // Chain positions back to front through scratch fields on the shared Word objects: no Map
    // operations per token. The stamp tells a word already seen in this field from a stale one.
    const stamp = ++stampCounter;
    for (let p = n - 1; p >= 0; p--) {
      const w = s.words[p] as Word;
      if (w.stamp !== stamp) {
        w.stamp = stamp;
        w.head = -1;
      }
      this.next[p] = w.head;
      w.head = p;
    }
    for (let p = 0; p < n; p++) {
      const w = s.words[p] as Word;
      if (w.stamp === stamp) {
        w.stamp = 0;
        this.distinct.push(w);
        this.heads.push(p);
      }
    }
  }

  /**
   * Positions of the words satisfying `test`, in order. Scanning the item's distinct words
   * (a hundred or so) beats building a map per field that most items never consult.
   */
  positionsWhere(test: (w: Word) => boolean, out: number[]): void {
    let groups = 0;
    const before = out.length;
    const distinct = this.distinct;
    for (let i = 0; i < distinct.length; i++) {
      if (!test(distinct[i] as Word)) continue;
      groups++;
      for (let p = this.heads[i] as number; p >= 0; p = this.next[p] as number) out.push(p);
    }
    // Several words (rocket, rockets) interleave: restore token order.
    if (groups > 1) {
      const sorted = out.slice(before).sort((x, y) => x - y);
      out.length = before;
      out.push(...sorted);
    }
  }

  /** Positions of the words carrying `mark` (as a word, or through their stem), in order. */
  positionsOfMark(mark: Mark, viaStem: boolean, out: number[]): void {
    let groups = 0;
    const before = out.length;
    const distinct = this.distinct;
    for (let i = 0; i < distinct.length; i++) {
      const w = distinct[i] as Word;
      if ((viaStem ? w.stemMark : w) !== mark) continue;
      groups++;
      for (let p = this.heads[i] as number; p >= 0; p = this.next[p] as number) out.push(p);
    }
    if (groups > 1) {
      const sorted = out.slice(before).sort((x, y) => x - y);
      out.length = before;
      out.push(...sorted);
    }
  }

  /** The explanation entry for tokens [from, to]. */
  span(term: string, from: number, to: number): MatchedTerm {
    const start = this.starts[from] as number;
    const end = this.ends[to] as number;
    return { field: this.field, term, text: this.text.slice(start, end), start, end };
  }
}

let stampCounter = 0;

/** An item analysed once, then shared by every rule verified against it. */
export interface AnalyzedDocument {
  doc: MatchDocument;
  fields: FieldText[];
  feed: string;
  /** Its stamp in marks.ts while it is the current item (0 before it is marked). */
  stamp: number;
}

let current: AnalyzedDocument | null = null;

/**
 * Marks the item's words and stems as present (see marks.ts), unless it is already the
 * current item. Marks serve one item at a time: marking another item unmarks this one.
 */
export function markPresent(d: AnalyzedDocument): void {
  if (current === d) return;
  const stamp = nextStamp();
  d.stamp = stamp;
  for (const f of d.fields) {
    const bit = f.bit;
    for (const w of f.distinct) {
      note(w.id, stamp, bit);
      note(w.stemMark.id, stamp, bit);
    }
  }
  current = d;
}

/** True while `d`'s marks are the ones set: only then may the evaluator trust them. */
export function isMarked(d: AnalyzedDocument): boolean {
  return current === d && d.stamp !== 0;
}

/** Feed ids repeat on every item of a feed: fold each once. */
const feedIds = new Map<string, string>();

/** Analyses every field of an item once; the index and the evaluator both read the result. */
export function analyzeDocument(doc: MatchDocument): AnalyzedDocument {
  const fields = [new FieldText("title", doc.title), new FieldText("content", doc.content)];
  if (doc.author) fields.push(new FieldText("author", doc.author));
  for (const c of doc.categories) fields.push(new FieldText("category", c));
  let feed = feedIds.get(doc.feedId);
  if (feed === undefined) {
    feed = foldValue(doc.feedId);
    if (feedIds.size > 10_000) feedIds.clear();
    feedIds.set(doc.feedId, feed);
  }
  return { doc, fields, feed, stamp: 0 };
}
