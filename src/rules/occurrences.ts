import type { MatchedTerm } from "../model/alert.ts";
import type { AnalyzedDocument, FieldText } from "./document.ts";
import { markIdLimit, stemIdOf } from "./marks.ts";

/**
 * Where each word and each stem occurs in one item: per mark id, a chain of its occurrences in
 * reading order (field, then position). Built the first time a match on the item is explained,
 * for that item only, then read once per one-word term explained.
 *
 * Why: explaining a one-word term used to scan every word of the fields it occurs in, reading
 * each word's stem from the mark records, one random read a word. At 100,000 rules an item has
 * ~33 matches and ~41 terms to explain, and those scans were a third of matching time
 * (bench:match, 2026-12-03); building the chains costs one pass over the item's words.
 * Word ids and stem ids are marks of their own, never equal, so one table holds both.
 */
let indexed: AnalyzedDocument | null = null;
let indexedStamp = 0;
let generation = 0;
/** Per mark id: the generation its chain belongs to, and its first occurrence. */
let headGeneration = new Int32Array(1 << 16);
let head = new Int32Array(1 << 16);
/** Per occurrence: the next one of the same mark (-1: none), its field index and position. */
let next = new Int32Array(1 << 10);
let fieldIndex = new Int32Array(1 << 10);
let position = new Int32Array(1 << 10);

function growTables(marks: number, occurrences: number): void {
  if (marks > head.length) {
    const size = Math.max(head.length * 2, marks);
    headGeneration = new Int32Array(size);
    head = new Int32Array(size);
    generation = 0;
  }
  if (occurrences > next.length) {
    const size = Math.max(next.length * 2, occurrences);
    next = new Int32Array(size);
    fieldIndex = new Int32Array(size);
    position = new Int32Array(size);
  }
}

function build(d: AnalyzedDocument): void {
  let words = 0;
  for (const f of d.fields) words += f.count;
  growTables(markIdLimit(), 2 * words);
  if (++generation === 0x7fffffff) {
    headGeneration.fill(0);
    generation = 1;
  }
  let e = 0;
  // Backwards, each occurrence put first in its chain: the chains come out in reading order.
  for (let fi = d.fields.length - 1; fi >= 0; fi--) {
    const f = d.fields[fi] as FieldText;
    for (let p = f.count - 1; p >= 0; p--) {
      const word = f.wordId(p);
      link(word, e++, fi, p);
      link(stemIdOf(word), e++, fi, p);
    }
  }
  indexed = d;
  indexedStamp = d.stamp;
}

/** Puts occurrence e (position p of field fi) first in the chain of mark `key`. */
function link(key: number, e: number, fi: number, p: number): void {
  next[e] = headGeneration[key] === generation ? (head[key] as number) : -1;
  fieldIndex[e] = fi;
  position[e] = p;
  headGeneration[key] = generation;
  head[key] = e;
}

/**
 * Appends an explanation entry for each occurrence of a one-word term (by its word or stem
 * mark) in the fields `fields` (bits) of the item, in reading order, until `out` holds `max`.
 */
export function spansOfMark(
  d: AnalyzedDocument,
  markId: number,
  fields: number,
  term: string,
  out: MatchedTerm[],
  max: number,
): void {
  if (indexed !== d || indexedStamp !== d.stamp) build(d);
  if (markId >= head.length || headGeneration[markId] !== generation) return;
  for (let e = head[markId] as number; e >= 0 && out.length < max; e = next[e] as number) {
    const f = d.fields[fieldIndex[e] as number] as FieldText;
    const p = position[e] as number;
    if ((f.bit & fields) !== 0) out.push(f.span(term, p, p));
  }
}
