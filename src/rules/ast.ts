import type { Mark } from "./analyze.ts";

/** Fields an item is searched in. Unscoped terms search title and content. */
export type Field = "title" | "content" | "author" | "category" | "feed";

/** Bit per field, so a scope is a cheap mask test while matching. */
export const FIELD_BIT: Record<Field, number> = {
  title: 1,
  content: 2,
  author: 4,
  category: 8,
  feed: 16,
};
export const DEFAULT_FIELDS = FIELD_BIT.title | FIELD_BIT.content;

/** One word of a phrase: a folded word (stemmed unless the rule turns stemming off) or a prefix. */
export interface Part {
  value: string;
  prefix: boolean;
  /**
   * The shared presence mark of this word (its stem's, or the word's when unstemmed), set when
   * a rule is compiled: compared by identity, it spares string comparisons while matching.
   */
  mark?: Mark;
}

/** A term or phrase (a term is a phrase of one word). `feed:` leaves compare the whole id. */
export interface Leaf {
  kind: "leaf";
  /** As written in the query (or the list entry), for explanations. */
  text: string;
  parts: Part[];
  /** Compare parts with token stems (true) or with folded words (false). */
  stemmed: boolean;
  fields: number;
  /** Only for `feed:` scope: the folded feed id, matched whole (or as a prefix). */
  feed?: Part;
  /** Offsets into the query, for messages. */
  from: number;
  to: number;
  /**
   * Presence marks of the non-prefix parts, attached when a rule is compiled: if one is unset
   * for the current item the leaf cannot match anywhere (see prefilter.ts).
   */
  marks?: Mark[];
}

/** NEAR(a b c, N): each member is a set of alternatives (a list expands to several). */
export interface Near {
  kind: "near";
  members: Leaf[][];
  distance: number;
  fields: number;
  from: number;
  to: number;
}

export interface And {
  kind: "and";
  children: Node[];
  /** True when at least one AND was implicit (juxtaposition): drives the OR warning. */
  implicit: boolean;
  /** True when written inside parentheses. */
  grouped: boolean;
  from: number;
  to: number;
}

export interface Or {
  kind: "or";
  children: Node[];
  from: number;
  to: number;
  /**
   * Set when this OR is an `@list` reference: its children are the list's shared leaves, and
   * the index treats it as one term (see ListTerms).
   */
  list?: ListTerms;
}

/**
 * A named list's entries, parsed once per rule set (per stemming and field scope) and shared
 * by every rule naming it: 10,000 rules using @iraq_places hold one copy of its entries, are
 * filed under one index key, and test one presence mark. The marks are set by the rule set
 * while it reads an item's words.
 */
export interface ListTerms {
  /** Name, stemming and fields: one ListTerms per distinct reading of the list. */
  key: string;
  name: string;
  leaves: Leaf[];
  fields: number;
  /** Present when some entry's first word (or prefix) occurs: necessary for any entry. */
  anyMark?: Mark;
  /** Present when a one-word entry occurs: sufficient on its own. */
  oneWordMark?: Mark;
  /** Cover cost, computed once per rule set build (see cover.ts). */
  cost?: number;
}

export interface Not {
  kind: "not";
  child: Node;
  from: number;
  to: number;
}

export type Node = Leaf | Near | And | Or | Not;
