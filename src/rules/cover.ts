import type { Leaf, ListTerms, Node, Part } from "./ast.ts";
import { itemShare } from "./marks.ts";

/**
 * Index keys a rule needs: at least one of them is present in every item the rule matches.
 * `s:` stem, `t:` folded word (rules without stemming), `p:` word prefix, `f:` feed id.
 */
export interface Cover {
  keys: string[];
  /** Rough expected number of items carrying any key: lower is a better filter. */
  cost: number;
}

// Very common English words: a rule that can be keyed on anything else should be.
const COMMON = new Set(
  (
    "the be to of and a in that have i it for not on with he as you do at this but his by from " +
    "they we say her she or an will my one all would there their what so up out if about who get " +
    "which go me when make can like time no just him know take people into year your good some " +
    "could them see other than then now look only come its over think also back after use two how " +
    "our work first well way even new want because any these give day most us is are was were said " +
    "has had been more"
  ).split(" "),
);

/** Longer words are rarer: a cheap stand-in for document frequency that needs no statistics. */
function termCost(value: string): number {
  if (COMMON.has(value)) return 100;
  return 1 + 8 / Math.min(value.length, 8);
}

function prefixCost(value: string): number {
  // A prefix stands for many words: the shorter, the more.
  return 4 + 32 / Math.max(value.length, 1);
}

/**
 * Once the daemon has seen enough items, the share of items carrying the word (or prefix) is
 * known exactly: that is what a cover costs in candidates. Scaled to the guesses' range.
 */
function observedCost(part: Part): number | null {
  const share = part.mark ? itemShare(part.mark.id) : null;
  // A prefix mark is new with its rule set and has counted nothing yet.
  if (share === null || (part.prefix && share < 0.5 / 1000)) return null;
  return share * 100;
}

function partKey(part: Part, stemmed: boolean): Cover {
  const observed = observedCost(part);
  if (part.prefix) {
    return { keys: [`p:${part.value}`], cost: observed ?? prefixCost(part.value) };
  }
  return { keys: [`${stemmed ? "s" : "t"}:${part.value}`], cost: observed ?? termCost(part.value) };
}

function leafCover(leaf: Leaf): Cover | null {
  if (leaf.feed) return leaf.feed.prefix ? null : { keys: [`f:${leaf.feed.value}`], cost: 50 };
  let best: Cover | null = null;
  for (const part of leaf.parts) {
    const c = partKey(part, leaf.stemmed);
    if (!best || c.cost < best.cost) best = c;
  }
  return best;
}

function union(covers: (Cover | null)[]): Cover | null {
  const keys = new Set<string>();
  let cost = 0;
  for (const c of covers) {
    if (!c) return null;
    for (const k of c.keys) keys.add(k);
    cost += c.cost;
  }
  return { keys: [...keys], cost };
}

function cheapest(covers: (Cover | null)[]): Cover | null {
  let best: Cover | null = null;
  for (const c of covers) if (c && (!best || c.cost < best.cost)) best = c;
  return best;
}

/**
 * A shared list is one key, `l:` and its ListTerms key, whose cost is what filing the rule
 * under every entry would cost: the same candidates, from one posting instead of hundreds.
 */
function listCover(list: ListTerms): Cover | null {
  if (list.cost === undefined) list.cost = union(list.leaves.map(leafCover))?.cost ?? Infinity;
  return Number.isFinite(list.cost) ? { keys: [`l:${list.key}`], cost: list.cost } : null;
}

/**
 * The cheapest set of keys that must be present for the node to match, or null when none can
 * be named (the rule is then verified against every item). AND needs only one child's keys,
 * OR needs every child's, NOT contributes nothing.
 */
export function coverOf(node: Node): Cover | null {
  switch (node.kind) {
    case "leaf":
      return leafCover(node);
    case "near":
      return cheapest(node.members.map((alts) => union(alts.map(leafCover))));
    case "not":
      return null;
    case "and":
      return cheapest(node.children.map(coverOf));
    case "or":
      if (node.list?.anyMark) return listCover(node.list);
      return union(node.children.map(coverOf));
  }
}
