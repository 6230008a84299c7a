import { type Mark, stemMarkOf, wordForTerm } from "./analyze.ts";
import type { Leaf, Node } from "./ast.ts";

/**
 * A bag-of-words condition implied by a rule: every clause needs one of its marks present in
 * the item. It ignores order, distance, fields and NOT, so it can only reject: a candidate
 * failing it cannot match; one passing it is evaluated for real. Checking it costs a few
 * property reads, against microseconds for an evaluation.
 */
export type Clauses = Mark[][];

/** Clauses per rule are capped: the first few already reject nearly every non-match. */
const MAX_CLAUSES = 6;

function markOf(leaf: Leaf, i: number): Mark | null {
  const part = leaf.parts[i];
  if (!part || part.prefix) return null;
  const mark = leaf.stemmed ? stemMarkOf(part.value) : wordForTerm(part.value);
  mark.pinned = true;
  part.mark = mark;
  return mark;
}

function leafClauses(leaf: Leaf): Clauses {
  const out: Clauses = [];
  for (let i = 0; i < leaf.parts.length; i++) {
    const m = markOf(leaf, i);
    if (m) out.push([m]);
  }
  leaf.marks = out.map((c) => c[0] as Mark);
  return out;
}

/** Gives every leaf its presence marks, including leaves under NOT. */
export function attachMarks(node: Node): void {
  switch (node.kind) {
    case "leaf":
      if (!node.feed) leafClauses(node);
      return;
    case "near":
      for (const alts of node.members) for (const leaf of alts) leafClauses(leaf);
      return;
    case "not":
      attachMarks(node.child);
      return;
    case "and":
    case "or":
      for (const c of node.children) attachMarks(c);
  }
}

/** One clause that holds whenever any of the alternatives holds, or null if none can be said. */
function anyOf(alternatives: Clauses[]): Mark[] | null {
  const clause: Mark[] = [];
  for (const alt of alternatives) {
    const first = alt[0];
    if (!first) return null;
    clause.push(...first);
  }
  return clause;
}

export function clausesOf(node: Node): Clauses {
  switch (node.kind) {
    case "leaf":
      return node.feed ? [] : leafClauses(node);
    case "near": {
      const out: Clauses = [];
      for (const alts of node.members) {
        const clause = anyOf(alts.map(leafClauses));
        if (clause) out.push(clause);
      }
      return out;
    }
    case "not":
      return [];
    case "and":
      return node.children.flatMap(clausesOf).slice(0, MAX_CLAUSES);
    case "or": {
      const clause = anyOf(node.children.map(clausesOf));
      return clause ? [clause] : [];
    }
  }
}

/** True when every clause has a mark carrying `stamp` (the current item's). */
export function passes(clauses: Clauses, stamp: number): boolean {
  for (const clause of clauses) {
    let ok = false;
    for (const m of clause) {
      if (m.seen === stamp) {
        ok = true;
        break;
      }
    }
    if (!ok) return false;
  }
  return true;
}
