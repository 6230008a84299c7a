import type { MatchedTerm } from "../model/alert.ts";
import { type Mark, stemMarkOf, wordById, wordForTerm } from "./analyze.ts";
import type { Leaf, ListTerms, Node } from "./ast.ts";
import { type Cover, coverOf } from "./cover.ts";
import {
  type AnalyzedDocument,
  analyzeDocument,
  type MatchDocument,
  markPresent,
} from "./document.ts";
import { QueryError } from "./errors.ts";
import { evaluate } from "./evaluate.ts";
import { idGeneration, isPresent, itemShare, note, releaseMarkIds } from "./marks.ts";
import { parseQuery, queryWarnings } from "./parser.ts";
import { attachMarks, type Clauses, clausesOf, type PrefixMarks } from "./prefilter.ts";
import { Programs } from "./program.ts";

export interface RuleSpec {
  id: string;
  query: string;
  /** @defaultValue true */
  stemming?: boolean;
}

/** A rule that failed to compile (or compiled with a warning); `index` is its place in the input. */
export interface RuleProblem {
  ruleId: string;
  index: number;
  message: string;
  column?: number;
}

export interface RuleMatch {
  ruleId: string;
  matched: MatchedTerm[];
}

export interface RuleSet {
  readonly size: number;
  match(doc: MatchDocument): RuleMatch[];
}

interface CompiledRule {
  id: string;
  /**
   * The syntax tree while the rule set is built; then dropped (the programs keep the parts
   * they need), and parsed again only for the reference evaluator, matchNaive.
   */
  ast: Node | null;
  query: string;
  stemming: boolean;
  /** Checked before evaluation (packed into the programs, then emptied): see prefilter.ts. */
  clauses: Clauses;
}

/** How the index splits the rules; exposed for the benchmark and tests. */
export interface IndexStats {
  rules: number;
  keys: number;
  prefixKeys: number;
  alwaysVerify: number;
}

let ruleSetCount = 0;
const released = new FinalizationRegistry<number[]>(releaseMarkIds);

/** Prefix keys in a trie over UTF-16 code units: a word walks it once, O(word length). */
interface TrieNode {
  children: Map<number, TrieNode>;
  /** Postings: rule, then its check (see checkFor), for each rule filed here. */
  rules: number[] | null;
  /** Set when some rule uses this prefix: the mark its prefix terms test. */
  mark: Mark | null;
  /** Shared lists' one-word entries with this prefix, as ListEntries triples. */
  lists: number[] | null;
}

const newNode = (): TrieNode => ({ children: new Map(), rules: null, mark: null, lists: null });

/** A shared @list as the index holds it: its marks and the rules filed under it. */
interface IndexedList {
  leaves: Leaf[];
  anyMark: number;
  oneWordMark: number;
  /** Postings: rule, then its check, as for any key. */
  rules: number[];
}

/**
 * Which list entries a word's stem (or, unstemmed, the word itself) opens, as triples: list
 * number, 1 for a one-word entry (else 0), the entry's index in the list.
 */
type ListEntries = Map<string, number[]>;

const NO_ENTRIES: number[] = [];

/** memoSlot values: not computed yet, nothing filed under the word, else 2 + offset in memos. */
const UNKNOWN = 0;
const NOTHING = 1;

/** Files a posting: the rule, and for stems, words and prefixes its check (see checkFor). */
function addTo(map: Map<string, number[]>, key: string, ...posting: number[]): void {
  const list = map.get(key);
  if (list) list.push(...posting);
  else map.set(key, posting);
}

/** True when one of the marks at memos[from, to) is present in the item with this stamp. */
function anyPresent(memos: Int32Array, from: number, to: number, stamp: number): boolean {
  for (let k = from; k < to; k++) if (isPresent(memos[k] as number, stamp)) return true;
  return false;
}

/** A posting's check is one clause of at most this many marks: longer ones reject little. */
const MAX_CHECK = 4;

/**
 * The check of a posting: a clause of the rule's prefilter (marks of which one must be present
 * for the rule to match) that the key itself does not satisfy, the most selective one by the
 * item frequencies known, as `[count, mark...]` (`[0]`: none). A candidate failing its check
 * cannot match, and is dropped while the index is read, from the same packed memo, before its
 * rule's data is touched at all: at 100,000 rules that spares most candidates their cache
 * misses. Prefix and list marks (`lateMarks`, set while the index is read: see collect) count
 * as seen in every item, so a word clause is preferred when there is one; but a rule such as
 * `rocket* AND (launch OR strike)` filed under its words is checked by its prefix (at 100,000
 * benchmark rules, such rules without a check were half the candidates, and nearly none matched).
 */
function checkFor(keyMark: number, clauses: Clauses, lateMarks: Set<number>): number[] {
  let best: number[] = [0];
  let bestShare = Number.POSITIVE_INFINITY;
  for (const clause of clauses) {
    if (clause.length > MAX_CHECK) continue;
    if (clause.some((m) => m.id === keyMark)) continue;
    let share = 0;
    for (const m of clause)
      share += lateMarks.has(m.id) ? 1 : (itemShare(m.id) ?? 1 / clause.length);
    if (share < bestShare) {
      best = [clause.length, ...clause.map((m) => m.id)];
      bestShare = share;
    }
  }
  return best;
}

/**
 * Rules matched through an inverted index, as Lucene Monitor does: each rule is filed under the
 * keys of its cover; an item's words look up the rules that could match it, and only those
 * are evaluated. Cost per item follows the item's length and its candidates, not the rule count.
 */
export class IndexedRuleSet implements RuleSet {
  private readonly rules: CompiledRule[];
  private readonly stems = new Map<string, number[]>();
  private readonly terms = new Map<string, number[]>();
  private readonly feeds = new Map<string, number[]>();
  private readonly prefixes = newNode();
  private prefixKeys = 0;
  private readonly alwaysVerify: number[] = [];
  private readonly prefixMarks: PrefixMarks;
  /** Syntax trees for matchNaive, parsed on first use (see treeOf). */
  private readonly trees: (Node | undefined)[] = [];
  private readonly id = ++ruleSetCount;
  private readonly programs: Programs;
  /** Rule ids side by side: naming a match reads one array, not the rule's record. */
  private readonly ruleIds: string[];
  private readonly seen: Uint32Array;
  private epoch = 0;
  /** Per word id: what the index files under it (see memoFor). */
  private memoSlot = new Int32Array(1 << 16);
  /**
   * What a word contributes to every item it occurs in, packed: at a word's offset, the count
   * of rules filed under it, those rules, the count of prefix marks it carries, their ids. One
   * array instead of an object and two arrays per word: fewer pointers to chase per word.
   */
  private memos = new Int32Array(1 << 12);
  private memosUsed = 0;
  /** Scratch: the memo slot of each distinct word of the item being collected. */
  private slots = new Int32Array(1 << 10);
  private memoGeneration = idGeneration();

  /** Shared lists, by number; and by ListTerms key, for filing. */
  private readonly sharedLists: IndexedList[] = [];
  private readonly listNumbers = new Map<string, number>();
  /** First words of list entries (stems for stemmed lists, words otherwise): see ListEntries. */
  private readonly listStems: ListEntries = new Map();
  private readonly listWords: ListEntries = new Map();
  /**
   * The list entries the current item's words opened, as found while its candidates were
   * collected: list number, entry index, field bit. A list is then evaluated, and explained,
   * by these entries alone.
   */
  private readonly openedEntries: number[] = [];

  constructor(
    rules: CompiledRule[],
    prefixMarks: PrefixMarks = new Map(),
    private readonly lists: Record<string, string[]> = {},
    listTerms: ListTerms[] = [],
  ) {
    this.rules = rules;
    this.prefixMarks = prefixMarks;
    // Marks set while the index is read (prefixes, lists): see checkFor.
    const prefixMarkIds = new Set([...prefixMarks.values()].map((m) => m.id));
    // Lists first: the programs name them by number.
    for (const list of listTerms) this.indexList(list, prefixMarkIds);
    this.programs = new Programs(
      rules.map((r) => r.ast as Node),
      rules.map((r) => r.clauses),
      (list) => this.listNumbers.get(list.key) ?? -1,
      (n, d, fields, out) => this.evaluateList(n, d, fields, out),
    );
    this.ruleIds = rules.map((r) => r.id);
    // Prefix marks belong to this rule set: their ids return to the pool when it is collected.
    if (prefixMarks.size > 0) {
      released.register(
        this,
        [...prefixMarks.values()].map((m) => m.id),
      );
    }
    this.seen = new Uint32Array(rules.length);
    for (const [prefix, mark] of prefixMarks) this.trieNode(prefix).mark = mark;
    rules.forEach((rule, i) => {
      const cover: Cover | null = coverOf(rule.ast as Node);
      if (!cover) {
        this.alwaysVerify.push(i);
        return;
      }
      for (const key of cover.keys) this.file(key, i, rule.clauses, prefixMarkIds);
    });
    // Packed, compiled and filed: the per-rule trees and arrays would only weigh on the heap
    // (at 100,000 rules the trees were ~1.5 KB a rule, most of it).
    for (const rule of rules) {
      rule.clauses = [];
      rule.ast = null;
    }
  }

  /**
   * Files a shared list's entries by their first word: that word sets the list's any-mark,
   * a one-word entry its one-word mark too, and the word's memo carries the list's postings.
   */
  private indexList(list: ListTerms, lateMarks: Set<number>): void {
    const anyMark = list.anyMark?.id;
    const oneWordMark = list.oneWordMark?.id;
    if (anyMark === undefined || oneWordMark === undefined) return;
    const n = this.sharedLists.push({ leaves: list.leaves, anyMark, oneWordMark, rules: [] }) - 1;
    this.listNumbers.set(list.key, n);
    lateMarks.add(anyMark);
    lateMarks.add(oneWordMark);
    released.register(this, [anyMark, oneWordMark]);
    list.leaves.forEach((leaf, entry) => {
      const first = leaf.parts[0];
      if (!first) return;
      const oneWord = leaf.parts.length === 1 ? 1 : 0;
      if (first.prefix) {
        const node = this.trieNode(first.value);
        node.lists ??= [];
        node.lists.push(n, oneWord, entry);
        return;
      }
      const byFirst = leaf.stemmed ? this.listStems : this.listWords;
      const opened = byFirst.get(first.value);
      if (opened) opened.push(n, oneWord, entry);
      else byFirst.set(first.value, [n, oneWord, entry]);
    });
  }

  /**
   * A shared list on an item: only the entries opened by the item's words in `fields` are
   * evaluated, in list order (so explanations read as evaluating the whole OR would give).
   */
  private evaluateList(
    n: number,
    d: AnalyzedDocument,
    fields: number,
    out: MatchedTerm[] | null,
  ): boolean {
    const list = this.sharedLists[n] as IndexedList;
    const tried: number[] = [];
    const opened = this.openedEntries;
    for (let k = 0; k < opened.length; k += 3) {
      if (opened[k] === n && ((opened[k + 2] as number) & fields) !== 0) {
        tried.push(opened[k + 1] as number);
      }
    }
    if (tried.length > 1) tried.sort((a, b) => a - b);
    let any = false;
    let last = -1;
    for (const entry of tried) {
      if (entry === last) continue;
      last = entry;
      if (evaluate(list.leaves[entry] as Leaf, d, out)) {
        any = true;
        if (!out) return true;
      }
    }
    return any;
  }

  private file(key: string, rule: number, clauses: Clauses, prefixMarkIds: Set<number>): void {
    const value = key.slice(2);
    switch (key[0]) {
      case "l": {
        const list = this.sharedLists[this.listNumbers.get(value) as number] as IndexedList;
        const anyMark = list.anyMark;
        list.rules.push(rule, ...checkFor(anyMark, clauses, prefixMarkIds));
        return;
      }
      case "s":
        addTo(this.stems, value, rule, ...checkFor(stemMarkOf(value).id, clauses, prefixMarkIds));
        return;
      case "t":
        addTo(this.terms, value, rule, ...checkFor(wordForTerm(value).id, clauses, prefixMarkIds));
        return;
      case "f":
        addTo(this.feeds, value, rule);
        return;
      case "p": {
        const node = this.trieNode(value);
        if (!node.rules) {
          node.rules = [];
          this.prefixKeys++;
        }
        node.rules.push(rule, ...checkFor(node.mark?.id ?? -1, clauses, prefixMarkIds));
      }
    }
  }

  private trieNode(prefix: string): TrieNode {
    let node = this.prefixes;
    for (let i = 0; i < prefix.length; i++) {
      const c = prefix.charCodeAt(i);
      let child = node.children.get(c);
      if (!child) {
        child = newNode();
        node.children.set(c, child);
      }
      node = child;
    }
    return node;
  }

  get size(): number {
    return this.rules.length;
  }

  get stats(): IndexStats {
    return {
      rules: this.rules.length,
      keys: this.stems.size + this.terms.size + this.feeds.size + this.prefixKeys,
      prefixKeys: this.prefixKeys,
      alwaysVerify: this.alwaysVerify.length,
    };
  }

  /**
   * Every rule filed under a word (by stem, folded form, each prefix), and its prefix marks,
   * remembered by word id: the next item with this word pays one typed-array read.
   */
  private memoFor(id: number): number {
    if (id >= this.memoSlot.length) {
      const bigger = new Int32Array(Math.max(this.memoSlot.length * 2, id + 1));
      bigger.set(this.memoSlot);
      this.memoSlot = bigger;
    }
    const slot = this.memoSlot[id] as number;
    if (slot !== UNKNOWN) return slot;
    const w = wordById(id);
    /** Postings: rule, then its check (see checkFor). */
    const rules: number[] = [];
    const prefixMarks: number[] = [];
    const byStem = this.stems.get(w.stem);
    // Appended in loops, not spread: a popular key can hold more postings than a call can
    // take arguments.
    if (byStem) for (const x of byStem) rules.push(x);
    const byTerm = this.terms.get(w.term);
    if (byTerm) for (const x of byTerm) rules.push(x);
    let node: TrieNode | undefined = this.prefixes;
    /** List entries the word opens, as ListEntries triples (only when lists are indexed). */
    let opened: number[] | null = null;
    const hasLists = this.sharedLists.length > 0;
    if (hasLists) {
      opened = [];
      const listsByStem = this.listStems.get(w.stem);
      if (listsByStem) for (const x of listsByStem) opened.push(x);
      const listsByWord = this.listWords.get(w.term);
      if (listsByWord) for (const x of listsByWord) opened.push(x);
    }
    for (let i = 0; i < w.term.length && node; i++) {
      node = node.children.get(w.term.charCodeAt(i));
      if (node?.rules) for (const x of node.rules) rules.push(x);
      if (node?.mark) prefixMarks.push(node.mark.id);
      if (opened && node?.lists) for (const x of node.lists) opened.push(x);
    }
    const entries = opened ? this.openList(opened, rules, prefixMarks) : NO_ENTRIES;
    let fresh = NOTHING;
    if (rules.length > 0 || prefixMarks.length > 0) {
      const need = this.memosUsed + rules.length + prefixMarks.length + entries.length + 3;
      if (need > this.memos.length) {
        const bigger = new Int32Array(Math.max(this.memos.length * 2, need));
        bigger.set(this.memos);
        this.memos = bigger;
      }
      fresh = 2 + this.memosUsed;
      let at = this.memosUsed;
      this.memos[at++] = rules.length;
      for (const x of rules) this.memos[at++] = x;
      this.memos[at++] = prefixMarks.length;
      for (const m of prefixMarks) this.memos[at++] = m;
      this.memos[at++] = entries.length;
      for (const x of entries) this.memos[at++] = x;
      this.memosUsed = at;
    }
    this.memoSlot[id] = fresh;
    return fresh;
  }

  /**
   * For the entries a word opens: appends each opened list's postings and marks (its one-word
   * mark when a one-word entry opened it), and returns the (list, entry) pairs for the memo.
   */
  private openList(opened: number[], rules: number[], marks: number[]): number[] {
    const entries: number[] = [];
    let lists: Map<number, boolean> | null = null;
    for (let k = 0; k < opened.length; k += 3) {
      const n = opened[k] as number;
      lists ??= new Map();
      lists.set(n, (lists.get(n) ?? false) || opened[k + 1] === 1);
      entries.push(n, opened[k + 2] as number);
    }
    if (lists) {
      for (const [n, oneWord] of lists) {
        const list = this.sharedLists[n] as IndexedList;
        for (const x of list.rules) rules.push(x);
        marks.push(list.anyMark);
        if (oneWord) marks.push(list.oneWordMark);
      }
    }
    return entries;
  }

  /** Indices of the rules that might match: every rule whose cover meets the item. */
  candidates(d: AnalyzedDocument): number[] {
    return this.collect(d, false);
  }

  /**
   * The candidates, and with `checked` only those whose posting's check mark is present (the
   * ones worth verifying).
   */
  private collect(d: AnalyzedDocument, checked: boolean): number[] {
    this.epoch++;
    if (this.epoch === 0xffffffff) {
      this.seen.fill(0);
      this.epoch = 1;
    }
    const epoch = this.epoch;
    const seen = this.seen;
    const out: number[] = [];
    const opened = this.openedEntries;
    opened.length = 0;
    // Marks first: evaluation trusts them, and prefix marks are this rule set's to set.
    markPresent(d);
    const stamp = d.stamp;
    this.forgetStaleMemos();
    // Two passes over the item's words: the first sets the prefix and list marks and finds the
    // list entries opened, so that the second can check postings against those marks too.
    const slots = this.slotsFor(d);
    let w = 0;
    for (const f of d.fields) {
      for (let i = 0; i < f.distinctCount; i++) {
        const slot = this.memoFor(f.distinctId(i));
        slots[w++] = slot;
        if (slot === NOTHING) continue;
        const memos = this.memos;
        let at = slot - 2;
        at += 1 + (memos[at] as number);
        for (let end = at + 1 + (memos[at] as number), k = at + 1; k < end; k++) {
          note(memos[k] as number, stamp, f.bit);
        }
        at += 1 + (memos[at] as number);
        for (let end = at + 1 + (memos[at] as number), k = at + 1; k < end; k += 2) {
          opened.push(memos[k] as number, memos[k + 1] as number, f.bit);
        }
      }
    }
    const memos = this.memos;
    for (let s = 0; s < w; s++) {
      const slot = slots[s] as number;
      if (slot === NOTHING) continue;
      const at = slot - 2;
      for (let end = at + 1 + (memos[at] as number), k = at + 1; k < end; ) {
        const r = memos[k] as number;
        const checks = memos[k + 1] as number;
        k += 2 + checks;
        if (checked && checks > 0 && !anyPresent(memos, k - checks, k, stamp)) continue;
        if (seen[r] !== epoch) {
          seen[r] = epoch;
          out.push(r);
        }
      }
    }
    if (this.feeds.size > 0) this.addAll(this.feeds.get(d.feed), out);
    if (this.alwaysVerify.length > 0) this.addAll(this.alwaysVerify, out);
    return out;
  }

  /** Room for the memo slots of every distinct word of the item (see collect). */
  private slotsFor(d: AnalyzedDocument): Int32Array {
    let words = 0;
    for (const f of d.fields) words += f.distinctCount;
    if (words > this.slots.length)
      this.slots = new Int32Array(Math.max(words, 2 * this.slots.length));
    return this.slots;
  }

  /** Word ids freed by a cache reset may now name other words: start the memos over. */
  private forgetStaleMemos(): void {
    if (this.memoGeneration !== idGeneration()) {
      this.memoGeneration = idGeneration();
      this.memoSlot.fill(UNKNOWN);
      this.memosUsed = 0;
    }
  }

  /**
   * False only when no rule can match an item made of these words (ids from any of its fields)
   * in this feed (folded, as AnalyzedDocument.feed): none is filed under any of the words or
   * their prefixes, none is scoped to the feed, none must always be verified. A first pass
   * for one rule set over many stored items whose word ids are kept: only the items it lets
   * through need analysing and matching. The ids must be of the current wordTableGeneration().
   */
  couldMatch(wordIds: ArrayLike<number>, feed: string): boolean {
    if (this.alwaysVerify.length > 0 || this.feeds.has(feed)) return true;
    this.forgetStaleMemos();
    for (let i = 0; i < wordIds.length; i++) {
      const slot = this.memoFor(wordIds[i] as number);
      if (slot !== NOTHING && (this.memos[slot - 2] as number) > 0) return true;
    }
    return false;
  }

  /** Adds the rules of a plain list (feeds, always-verify) not yet among this item's candidates. */
  private addAll(list: readonly number[] | undefined, out: number[]): void {
    if (!list) return;
    for (const r of list) {
      if (this.seen[r] !== this.epoch) {
        this.seen[r] = this.epoch;
        out.push(r);
      }
    }
  }

  match(doc: MatchDocument): RuleMatch[] {
    const d = analyzeDocument(doc);
    markPresent(d);
    const found: number[] = [];
    for (const r of this.collect(d, true)) {
      if (!this.programs.passes(r, d.stamp)) continue;
      if (this.programs.matches(r, d)) found.push(r);
    }
    // Report in config order, whatever order the index produced them in.
    found.sort((a, b) => a - b);
    return found.map((r) => {
      const matched: MatchedTerm[] = [];
      this.programs.explain(r, d, matched);
      return { ruleId: this.ruleIds[r] as string, matched: inReadingOrder(matched) };
    });
  }

  /**
   * The rule's syntax tree, parsed again from its query (with the same marks) the first time
   * the reference evaluator needs it, and kept from then on.
   */
  private treeOf(r: number): Node {
    let tree = this.trees[r];
    if (tree === undefined) {
      const rule = this.rules[r] as CompiledRule;
      tree = parseQuery(rule.query, { stemming: rule.stemming, lists: this.lists });
      attachMarks(tree, this.prefixMarks);
      this.trees[r] = tree;
    }
    return tree;
  }

  /**
   * Evaluates every rule's syntax tree on the item, explanations from the trees too: the
   * reference the index and its programs must agree with. The first call parses the trees.
   */
  matchNaive(doc: MatchDocument): RuleMatch[] {
    const d = analyzeDocument(doc);
    // Sets the presence marks evaluation relies on; the candidates themselves are not used.
    this.candidates(d);
    const out: RuleMatch[] = [];
    for (let r = 0; r < this.rules.length; r++) {
      const tree = this.treeOf(r);
      if (!evaluate(tree, d, null)) continue;
      const matched: MatchedTerm[] = [];
      evaluate(tree, d, matched);
      out.push({ ruleId: this.ruleIds[r] as string, matched: inReadingOrder(matched) });
    }
    return out;
  }
}

const FIELD_ORDER = { title: 0, content: 1, author: 2, category: 3, feed: 4 } as const;
const fieldOrder = (m: MatchedTerm): number => FIELD_ORDER[m.field];
const byPlace = (a: MatchedTerm, b: MatchedTerm) =>
  fieldOrder(a) - fieldOrder(b) || a.start - b.start;

/** Hits by field, then offset. Most explanations already are (one term, one field): no sort. */
function inReadingOrder(matched: MatchedTerm[]): MatchedTerm[] {
  for (let i = 1; i < matched.length; i++) {
    if (byPlace(matched[i - 1] as MatchedTerm, matched[i] as MatchedTerm) > 0) {
      return matched.sort(byPlace);
    }
  }
  return matched;
}

/**
 * Compiles watch rules into one matcher. Invalid rules are left out and reported in `problems`
 * (never silently dropped); queries that parse but read oddly are reported in `warnings`.
 */
export function compileRules(
  rules: RuleSpec[],
  lists: Record<string, string[]>,
): { ruleSet: IndexedRuleSet; problems: RuleProblem[]; warnings: RuleProblem[] } {
  const compiled: CompiledRule[] = [];
  const problems: RuleProblem[] = [];
  const warnings: RuleProblem[] = [];
  const prefixes: PrefixMarks = new Map();
  // Every rule naming a list shares one parse of it (see ListTerms).
  const listCache = new Map<string, ListTerms>();
  rules.forEach((spec, index) => {
    try {
      const ast = parseQuery(spec.query, { stemming: spec.stemming ?? true, lists, listCache });
      attachMarks(ast, prefixes, true);
      const stemming = spec.stemming ?? true;
      compiled.push({ id: spec.id, ast, query: spec.query, stemming, clauses: clausesOf(ast) });
      for (const message of queryWarnings(spec.query, ast)) {
        warnings.push({ ruleId: spec.id, index, message });
      }
    } catch (err) {
      if (!(err instanceof QueryError)) throw err;
      problems.push({ ruleId: spec.id, index, message: err.message, column: err.column });
    }
  });
  const ruleSet = new IndexedRuleSet(compiled, prefixes, lists, [...listCache.values()]);
  return { ruleSet, problems, warnings };
}
