import type { MatchedTerm } from "../model/alert.ts";
import { type Word, wordById } from "./analyze.ts";
import type { Leaf, Near, Node, Part } from "./ast.ts";
import { type AnalyzedDocument, type FieldText, isMarked } from "./document.ts";
import { fieldsOf, stemIdOf } from "./marks.ts";

/** Explanations stop growing here: an item that says "rocket" 500 times needs no 500 entries. */
const MAX_EXPLAINED = 64;

function partMatches(part: Part, w: Word, stemmed: boolean): boolean {
  if (part.prefix) return w.term.startsWith(part.value);
  if (part.mark) return (stemmed ? w.stemMark : w) === part.mark;
  return stemmed ? w.stem === part.value : w.term === part.value;
}

/** partMatches for a word id: a marked part compares ids without touching the Word. */
function partMatchesId(part: Part, id: number, stemmed: boolean): boolean {
  if (id < 0) return false;
  if (part.mark && !part.prefix) return (stemmed ? stemIdOf(id) : id) === part.mark.id;
  return partMatches(part, wordById(id), stemmed);
}

/** Start positions of every occurrence of the phrase in one field value, in order. */
export function phraseStarts(leaf: Leaf, f: FieldText): number[] {
  const first = leaf.parts[0] as Part;
  const starts: number[] = [];
  const mark = first.prefix ? undefined : first.mark;
  if (mark) f.positionsOfMark(mark.id, leaf.stemmed, starts);
  else f.positionsWhere((w) => partMatches(first, w, leaf.stemmed), starts);
  const n = leaf.parts.length;
  if (n === 1 || starts.length === 0) return starts;
  return starts.filter((p) => {
    for (let k = 1; k < n; k++) {
      if (!partMatchesId(leaf.parts[k] as Part, f.wordId(p + k), leaf.stemmed)) return false;
    }
    return true;
  });
}

function feedLeafMatches(leaf: Leaf, d: AnalyzedDocument): boolean {
  const want = leaf.feed as Part;
  return want.prefix ? d.feed.startsWith(want.value) : d.feed === want.value;
}

function evalLeaf(leaf: Leaf, d: AnalyzedDocument, out: MatchedTerm[] | null): boolean {
  if (leaf.feed) {
    const ok = feedLeafMatches(leaf, d);
    if (ok && out && out.length < MAX_EXPLAINED) {
      const feedId = d.doc.feedId;
      out.push({ field: "feed", term: leaf.text, text: feedId, start: 0, end: feedId.length });
    }
    return ok;
  }
  // Presence marks settle most leaves without looking at any text: a word absent from the
  // fields in scope means no match; a one-word leaf present in scope is a match.
  if (leaf.marks && isMarked(d)) {
    for (const m of leaf.marks) if ((fieldsOf(m.id, d.stamp) & leaf.fields) === 0) return false;
    if (!out && leaf.parts.length === 1 && leaf.marks.length === 1) return true;
  }
  const firstMark = isMarked(d) ? leaf.marks?.[0] : undefined;
  let found = false;
  for (const f of d.fields) {
    if ((f.bit & leaf.fields) === 0) continue;
    if (firstMark && (fieldsOf(firstMark.id, d.stamp) & f.bit) === 0) continue;
    const starts = phraseStarts(leaf, f);
    if (starts.length === 0) continue;
    found = true;
    if (!out) return true;
    for (const p of starts) {
      if (out.length >= MAX_EXPLAINED) return true;
      out.push(f.span(leaf.text, p, p + leaf.parts.length - 1));
    }
  }
  return found;
}

interface Occurrence {
  start: number;
  len: number;
  leaf: Leaf;
}

/**
 * FTS5's NEAR: with M the start of the occurrence that starts last, every member needs an
 * occurrence starting within [M - len - N, M], i.e. at most N tokens between its end and M.
 * Trying each occurrence as M finds a match whenever one exists.
 */
/** False when some member has no alternative whose words are all in the item (marks only). */
function nearPossible(near: Near, d: AnalyzedDocument): boolean {
  if (!isMarked(d)) return true;
  return near.members.every((alts) =>
    alts.some(
      (leaf) =>
        !leaf.marks || leaf.marks.every((m) => (fieldsOf(m.id, d.stamp) & near.fields) !== 0),
    ),
  );
}

/** The fields in scope where every member could occur, from the marks of the current item. */
function nearFields(near: Near, stamp: number): number {
  let mask = near.fields;
  for (const alts of near.members) {
    let any = 0;
    for (const leaf of alts) {
      const m = leaf.marks?.[0];
      any |= m ? fieldsOf(m.id, stamp) : -1;
    }
    mask &= any;
  }
  return mask;
}

interface NearOccurrence extends Occurrence {
  member: number;
}

/**
 * FTS5's NEAR in one field, in one pass over every member's occurrences sorted by start.
 * Sweeping M (the last start) upwards, each member keeps the occurrence that reaches furthest
 * (start + len + N); the window holds when every member reaches M. An item that repeats a word
 * thousands of times thus costs a sort, not a scan of each list per occurrence.
 */
function nearInField(near: Near, f: FieldText): Occurrence[] | null {
  const all: NearOccurrence[] = [];
  for (let member = 0; member < near.members.length; member++) {
    const before = all.length;
    for (const leaf of near.members[member] as Leaf[]) {
      for (const start of phraseStarts(leaf, f))
        all.push({ start, len: leaf.parts.length, leaf, member });
    }
    if (all.length === before) return null;
  }
  all.sort((a, b) => a.start - b.start);
  const best: NearOccurrence[] = [];
  const reach = (o: NearOccurrence) => o.start + o.len + near.distance;
  for (let i = 0; i < all.length; ) {
    const m = (all[i] as NearOccurrence).start;
    // Every occurrence starting at M counts before M is tried; among equal reaches, the later
    // start is kept so the explanation shows the words nearest to each other.
    for (; i < all.length && (all[i] as NearOccurrence).start === m; i++) {
      const o = all[i] as NearOccurrence;
      const held = best[o.member];
      if (!held || reach(o) >= reach(held)) best[o.member] = o;
    }
    let inWindow = true;
    for (let member = 0; member < near.members.length && inWindow; member++) {
      const o = best[member];
      inWindow = o !== undefined && reach(o) >= m;
    }
    if (inWindow) return best;
  }
  return null;
}

function evalNear(near: Near, d: AnalyzedDocument, out: MatchedTerm[] | null): boolean {
  if (!nearPossible(near, d)) return false;
  let found = false;
  const mask = isMarked(d) ? nearFields(near, d.stamp) : near.fields;
  for (const f of d.fields) {
    if ((f.bit & mask) === 0) continue;
    const chosen = nearInField(near, f);
    if (!chosen) continue;
    found = true;
    if (!out) return true;
    for (const o of chosen) {
      if (out.length < MAX_EXPLAINED) out.push(f.span(o.leaf.text, o.start, o.start + o.len - 1));
    }
  }
  return found;
}

/**
 * Evaluates a query against an analysed item. With `out`, every matched term and phrase of
 * the parts that made the query true is appended (terms under NOT are never reported).
 */
export function evaluate(node: Node, d: AnalyzedDocument, out: MatchedTerm[] | null): boolean {
  switch (node.kind) {
    case "leaf":
      return evalLeaf(node, d, out);
    case "near":
      return evalNear(node, d, out);
    case "not":
      return !evaluate(node.child, d, null);
    case "and": {
      const mark = out?.length ?? 0;
      for (const c of node.children) {
        if (!evaluate(c, d, out)) {
          if (out) out.length = mark;
          return false;
        }
      }
      return true;
    }
    case "or": {
      // Without explanations the first true branch is enough; with them, report every branch.
      let any = false;
      for (const c of node.children) {
        if (evaluate(c, d, out)) {
          any = true;
          if (!out) return true;
        }
      }
      return any;
    }
  }
}
