import type { MatchedTerm } from "../model/alert.ts";
import { foldValue, maxWords, scanInto, type Word, wordById } from "./analyze.ts";
import { FIELD_BIT, type Field } from "./ast.ts";
import { markIdLimit, nextStamp, note, stemIdOf } from "./marks.ts";

/** What the matcher sees of an item. Categories are matched each as its own field value. */
export interface MatchDocument {
  feedId: string;
  title: string;
  content: string;
  author: string;
  categories: string[];
}

/** Per word id: the stamp of the last field it was found in (see FieldText). */
let lastField = new Int32Array(1 << 16);

function lastFieldFor(limit: number): Int32Array {
  if (limit > lastField.length) {
    const bigger = new Int32Array(Math.max(lastField.length * 2, limit));
    bigger.set(lastField);
    lastField = bigger;
  }
  return lastField;
}

/**
 * Fields are scanned straight into shared 1 MB slabs (a bump allocator): a typed array of its
 * own costs ~1.5 µs per field (a backing store each), a view over a slab still ~0.4 µs; a
 * field that only records where it starts in the slab costs nothing. A slab is freed when the
 * last field written into it is, like any array; regions are never reused.
 */
const SLAB_INTS = 1 << 18;
let slab = new Int32Array(SLAB_INTS);
let slabUsed = 0;

/**
 * One analysed field value: title, content, author, or one category. Words are ids (see
 * `wordById`), kept with their offsets in a region of a slab so that analysing an item
 * allocates no arrays and reading it touches contiguous memory. Only the distinct words are
 * listed besides: marking and the index need nothing else, and the few terms that need
 * positions (explanations, phrases, NEAR) scan the field's hundred-odd ids, in order, which
 * costs less than building a position index for every item.
 */
export class FieldText {
  readonly bit: number;
  /** Number of words. */
  readonly count: number;
  /** Number of distinct words. */
  readonly distinctCount: number;
  /**
   * From `base`, with n words and d distinct ones: for word p, its id at 3p, its start and end
   * offsets at 3p + 1 and 3p + 2; then the distinct ids in order of first occurrence, at 3n + i;
   * then room for word p's stem mark id at 3n + d + p, filled in by the first stem search
   * (see stems): explaining an item's matches then scans this region, where reading every
   * word's stem from the mark records, once per term explained, cost a random read a word.
   */
  private readonly data: Int32Array;
  private readonly base: number;
  private stemsFilled = false;

  constructor(
    readonly field: Field,
    readonly text: string,
  ) {
    this.bit = FIELD_BIT[field];
    const room = 5 * maxWords(text);
    let data = slab;
    if (room > SLAB_INTS >> 4) data = new Int32Array(room);
    else if (slabUsed + room > SLAB_INTS) {
      slab = new Int32Array(SLAB_INTS);
      slabUsed = 0;
      data = slab;
    }
    const base = data === slab ? slabUsed : 0;
    const n = scanInto(text, data, base);
    const seenIn = lastFieldFor(markIdLimit());
    const stamp = ++stampCounter;
    let d = 0;
    const list = base + 3 * n;
    for (let k = base; k < list; k += 3) {
      const id = data[k] as number;
      if (seenIn[id] !== stamp) {
        seenIn[id] = stamp;
        data[list + d++] = id;
      }
    }
    if (data === slab) slabUsed = list + d + n;
    this.count = n;
    this.distinctCount = d;
    this.data = data;
    this.base = base;
  }

  /** The id of the word at position p, or -1 past the end. */
  wordId(p: number): number {
    return p < this.count ? (this.data[this.base + 3 * p] as number) : -1;
  }

  /** The id of the i-th distinct word. */
  distinctId(i: number): number {
    return this.data[this.base + 3 * this.count + i] as number;
  }

  /** Appends the positions of the words satisfying `test`, in order. */
  positionsWhere(test: (w: Word) => boolean, out: number[]): void {
    for (let p = 0; p < this.count; p++) if (test(wordById(this.wordId(p)))) out.push(p);
  }

  /**
   * Where the ids to compare with a word's or a stem's mark start, and their stride: the word
   * ids themselves, or the stems, filled in on first use.
   */
  private idsOf(viaStem: boolean): number {
    const data = this.data;
    const words = this.base;
    if (!viaStem) return words;
    const stems = words + 3 * this.count + this.distinctCount;
    if (!this.stemsFilled) {
      for (let p = 0; p < this.count; p++)
        data[stems + p] = stemIdOf(data[words + 3 * p] as number);
      this.stemsFilled = true;
    }
    return stems;
  }

  /** Appends the positions of the words carrying the mark (as a word or a stem), in order. */
  positionsOfMark(markId: number, viaStem: boolean, out: number[]): void {
    const data = this.data;
    const stride = viaStem ? 1 : 3;
    for (let p = 0, k = this.idsOf(viaStem); p < this.count; p++, k += stride) {
      if (data[k] === markId) out.push(p);
    }
  }

  /**
   * Appends an explanation entry for every occurrence of a one-word term (by its mark), in
   * order, until `out` holds `max` entries.
   */
  spansOfMark(
    markId: number,
    viaStem: boolean,
    term: string,
    out: MatchedTerm[],
    max: number,
  ): void {
    const data = this.data;
    const stride = viaStem ? 1 : 3;
    for (let p = 0, k = this.idsOf(viaStem); p < this.count && out.length < max; p++, k += stride) {
      if (data[k] === markId) out.push(this.span(term, p, p));
    }
  }

  /** The explanation entry for tokens [from, to]. */
  span(term: string, from: number, to: number): MatchedTerm {
    const start = this.data[this.base + 3 * from + 1] as number;
    const end = this.data[this.base + 3 * to + 2] as number;
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
    for (let i = 0; i < f.distinctCount; i++) {
      const id = f.distinctId(i);
      note(id, stamp, bit);
      note(stemIdOf(id), stamp, bit);
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
