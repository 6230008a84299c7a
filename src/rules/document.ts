import type { MatchedTerm } from "../alerts/alert.ts";
import { foldValue, scanIds, type Word, wordById } from "./analyze.ts";
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

/** Per word id: scratch for chaining one field's positions (see FieldText). */
let chainStamp = new Int32Array(1 << 16);
let chainHead = new Int32Array(1 << 16);

function chainScratchFor(id: number): void {
  if (id < chainStamp.length) return;
  const size = Math.max(chainStamp.length * 2, id + 1);
  const stamps = new Int32Array(size);
  stamps.set(chainStamp);
  chainStamp = stamps;
  const heads = new Int32Array(size);
  heads.set(chainHead);
  chainHead = heads;
}

/**
 * Field arrays are carved out of shared 1 MB slabs: allocating a typed array of its own costs
 * ~1.5 µs (a backing store per array), a view over a slab a fraction of that. A slab is freed
 * when the last field carved from it is, like any ArrayBuffer; regions are never reused.
 */
const SLAB_BYTES = 1 << 20;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

function carve(ints: number): Int32Array {
  const bytes = ints * 4;
  if (bytes > SLAB_BYTES >> 4) return new Int32Array(ints);
  if (slabUsed + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const view = new Int32Array(slab, slabUsed, ints);
  slabUsed += bytes;
  return view;
}

/**
 * One analysed field value: title, content, author, or one category. Words are ids (see
 * `wordById`), kept with their offsets in one Int32Array so that an item costs one allocation
 * per field and reading it touches contiguous memory. Positions of a word are a chain: for a
 * distinct word, its first position; `next(p)` the one after p (-1 ends it).
 */
export class FieldText {
  readonly bit: number;
  /** Number of words. */
  readonly count: number;
  /** Number of distinct words. */
  readonly distinctCount: number;
  /**
   * With n words and d distinct ones: ids at [0, n), starts at [n, 2n), ends at [2n, 3n),
   * next positions at [3n, 4n), distinct ids at [4n, 4n + d), their first positions at [5n, 5n + d).
   */
  private readonly data: Int32Array;

  constructor(
    readonly field: Field,
    readonly text: string,
  ) {
    this.bit = FIELD_BIT[field];
    const { count: n, out } = scanIds(text);
    const data = carve(6 * n);
    for (let p = 0; p < n; p++) {
      data[p] = out[3 * p] as number;
      data[n + p] = out[3 * p + 1] as number;
      data[2 * n + p] = out[3 * p + 2] as number;
    }
    // Chain positions back to front through per-id scratch arrays: no Map operations per token.
    // The stamp tells a word already seen in this field from one left over from another.
    const stamp = ++stampCounter;
    chainScratchFor(markIdLimit());
    for (let p = n - 1; p >= 0; p--) {
      const id = data[p] as number;
      if (chainStamp[id] !== stamp) {
        chainStamp[id] = stamp;
        chainHead[id] = -1;
      }
      data[3 * n + p] = chainHead[id] as number;
      chainHead[id] = p;
    }
    let d = 0;
    for (let p = 0; p < n; p++) {
      const id = data[p] as number;
      if (chainStamp[id] === stamp) {
        chainStamp[id] = 0;
        data[4 * n + d] = id;
        data[5 * n + d] = p;
        d++;
      }
    }
    this.count = n;
    this.distinctCount = d;
    this.data = data;
  }

  /** The id of the word at position p, or -1 past the end. */
  wordId(p: number): number {
    return p < this.count ? (this.data[p] as number) : -1;
  }

  /** The id of the i-th distinct word. */
  distinctId(i: number): number {
    return this.data[4 * this.count + i] as number;
  }

  /** Appends the positions of the i-th distinct word, in order. */
  private chain(i: number, out: number[]): void {
    const n = this.count;
    const data = this.data;
    for (let p = data[5 * n + i] as number; p >= 0; p = data[3 * n + p] as number) out.push(p);
  }

  /**
   * Positions of the words satisfying `test`, in order. Scanning the item's distinct words
   * (a hundred or so) beats building a map per field that most items never consult.
   */
  positionsWhere(test: (w: Word) => boolean, out: number[]): void {
    let groups = 0;
    const before = out.length;
    for (let i = 0; i < this.distinctCount; i++) {
      if (!test(wordById(this.distinctId(i)))) continue;
      groups++;
      this.chain(i, out);
    }
    if (groups > 1) restoreOrder(out, before);
  }

  /** Positions of the words carrying the mark (as a word, or through their stem), in order. */
  positionsOfMark(markId: number, viaStem: boolean, out: number[]): void {
    let groups = 0;
    const before = out.length;
    for (let i = 0; i < this.distinctCount; i++) {
      const id = this.distinctId(i);
      if ((viaStem ? stemIdOf(id) : id) !== markId) continue;
      groups++;
      this.chain(i, out);
    }
    if (groups > 1) restoreOrder(out, before);
  }

  /** The explanation entry for tokens [from, to]. */
  span(term: string, from: number, to: number): MatchedTerm {
    const start = this.data[this.count + from] as number;
    const end = this.data[2 * this.count + to] as number;
    return { field: this.field, term, text: this.text.slice(start, end), start, end };
  }
}

/** Several words (rocket, rockets) interleave: restore token order of out[before..]. */
function restoreOrder(out: number[], before: number): void {
  const sorted = out.slice(before).sort((x, y) => x - y);
  out.length = before;
  out.push(...sorted);
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
