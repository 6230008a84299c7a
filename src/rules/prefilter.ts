import { type Mark, stemMarkOf, wordForTerm } from "./analyze.ts";
import type { Leaf, ListTerms, Node, Part } from "./ast.ts";
import { newMarkId } from "./marks.ts";

/**
 * A bag-of-words condition implied by a rule: every clause needs one of its marks present in
 * the item. It ignores order, distance, fields and NOT, so it can only reject: a candidate
 * failing it cannot match; one passing it is evaluated for real. Checking it costs a few
 * property reads, against microseconds for an evaluation.
 */
export type Clauses = Mark[][];

/** Clauses per rule are capped: the first few already reject nearly every non-match. */
const MAX_CLAUSES = 6;

/**
 * Prefix terms get a mark of their own, one per distinct prefix of a rule set: the index sets
 * it for every word of the item that starts with the prefix (see IndexedRuleSet.candidates).
 */
export type PrefixMarks = Map<string, Mark>;

function markFor(part: Part, stemmed: boolean, prefixes: PrefixMarks): Mark {
  if (part.prefix) {
    let m = prefixes.get(part.value);
    if (!m) {
      m = { id: newMarkId(), pinned: true };
      prefixes.set(part.value, m);
    }
    return m;
  }
  const mark = stemmed ? stemMarkOf(part.value) : wordForTerm(part.value);
  mark.pinned = true;
  return mark;
}

function markLeaf(leaf: Leaf, prefixes: PrefixMarks): void {
  if (leaf.feed) return;
  leaf.marks = leaf.parts.map((part) => {
    part.mark = markFor(part, leaf.stemmed, prefixes);
    return part.mark;
  });
}

/**
 * A shared list's leaves get their marks once, and the list two of its own (see ListTerms),
 * which the rule set that built the list sets and releases.
 */
function markList(list: ListTerms, prefixes: PrefixMarks): void {
  if (list.anyMark) return;
  for (const leaf of list.leaves) markLeaf(leaf, prefixes);
  list.anyMark = { id: newMarkId(), pinned: true };
  list.oneWordMark = { id: newMarkId(), pinned: true };
}

/**
 * Gives every leaf its presence marks, including leaves under NOT. With `listMarks`, shared
 * lists get their list marks too (an indexed rule set sets them; the reference evaluator,
 * which reads leaves only, needs none).
 */
export function attachMarks(node: Node, prefixes: PrefixMarks, listMarks = false): void {
  switch (node.kind) {
    case "leaf":
      markLeaf(node, prefixes);
      return;
    case "near":
      for (const alts of node.members) for (const leaf of alts) markLeaf(leaf, prefixes);
      return;
    case "not":
      attachMarks(node.child, prefixes, listMarks);
      return;
    case "or":
      if (node.list && listMarks) {
        markList(node.list, prefixes);
        return;
      }
      for (const c of node.children) attachMarks(c, prefixes, listMarks);
      return;
    case "and":
      for (const c of node.children) attachMarks(c, prefixes, listMarks);
  }
}

/** Every word of the leaf is needed: one clause per mark (attachMarks must have run). */
function leafClauses(leaf: Leaf): Clauses {
  return (leaf.marks ?? []).map((m) => [m as Mark]);
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
      return leafClauses(node);
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
      if (node.list?.anyMark) return [[node.list.anyMark]];
      const clause = anyOf(node.children.map(clausesOf));
      return clause ? [clause] : [];
    }
  }
}
