import type { MatchedTerm } from "../model/alert.ts";
import type { Leaf, ListTerms, Node } from "./ast.ts";
import type { AnalyzedDocument } from "./document.ts";
import { evaluate } from "./evaluate.ts";
import { fieldsOf, isPresent } from "./marks.ts";
import type { Clauses } from "./prefilter.ts";

/**
 * Every rule's query as a compact program in one Int32Array, for verifying candidates.
 *
 * Why: at 10,000 rules and more, a rule's syntax tree is a dozen objects scattered over tens
 * of megabytes of heap, and verifying a candidate cost ~1 µs of cache misses for ~50 ns of
 * work. Most verification is settled by presence marks alone (is this word in the title or
 * content?), which needs only mark ids and field masks: those are laid out here, contiguously,
 * so a candidate reads a cache line or two. Only phrases, NEAR, prefixes within phrases and
 * `feed:` go back to the tree, and only once the marks say they can match.
 *
 * Each node is `[op, length, ...]`, `length` counting the whole node, children inline:
 * - MARK  `[MARK, 6, markId, fields, how, ref]`: a one-word term (or prefix), true when its
 *   mark is set in one of the fields; `how` says whether the mark is a stem's, a word's or a
 *   prefix's, for finding the term's positions when explaining; `ref` is the term as written
 *   (`texts[ref]`), or for a prefix its leaf (`nodes[ref]`);
 * - AND / OR `[op, length, child...]`, NOT `[NOT, length, child]`;
 * - TREE `[TREE, length, node, fields, markId...]`: false when one of the marks is absent from
 *   the fields, else the tree node (`nodes[node]`) is evaluated.
 * - LIST `[LIST, 7, node, fields, anyMark, oneWordMark, list]`: a shared @list. False when no
 *   entry's first word is in the fields, true when a one-word entry is, else the entries the
 *   item's words open are evaluated (ListEntriesOf), never all of a gazetteer's hundreds.
 * Before each rule's program, its prefilter clauses (see prefilter.ts), checked first:
 * `[skip, count, (length, markId...)...]`, `skip` counting the whole block. Side by side with
 * the program, a candidate's clauses and program share cache lines: at 100,000 rules, where
 * candidates are cache misses, a separate array of clauses cost two misses more per candidate.
 * Explanations of matches follow the same program: one-word terms find their positions through
 * their marks, everything else asks the tree. Only the tree nodes named here are kept: the
 * rest of each rule's tree can go (at 100,000 rules the trees were most of the heap).
 */
const MARK = 1;
const AND = 2;
const OR = 3;
const NOT = 4;
const TREE = 5;
const LIST = 6;

/** MARK `how`: what the mark stands for. */
const VIA_STEM = 0;
const VIA_WORD = 1;
const VIA_PREFIX = 2;

/** Explanations stop growing here (as in evaluate.ts). */
const MAX_EXPLAINED = 64;

/** Marks that must all be present (in the node's fields) for a leaf or NEAR to match. */
function requiredMarks(node: Leaf | Extract<Node, { kind: "near" }>): number[] {
  if (node.kind === "leaf") return (node.marks ?? []).map((m) => m.id);
  const ids: number[] = [];
  for (const alts of node.members) {
    const only = alts.length === 1 ? alts[0] : undefined;
    if (only) for (const m of only.marks ?? []) ids.push(m.id);
  }
  return ids;
}

/**
 * Evaluates a shared list (by its number) on the item, with an explanation when `out` is given,
 * trying only the entries whose first word the item has in `fields`: the same result, entries
 * in the same order, as evaluating the list's OR node. Given by the rule set that indexes it.
 */
export type ListEvaluator = (
  list: number,
  d: AnalyzedDocument,
  fields: number,
  out: MatchedTerm[] | null,
) => boolean;

export class Programs {
  private readonly code: Int32Array;
  private readonly offsets: Int32Array;
  private readonly nodes: Node[] = [];
  private readonly texts: string[] = [];
  private readonly listNodes = new Map<ListTerms, number>();

  constructor(
    trees: readonly Node[],
    clauses: readonly Clauses[],
    private readonly listNumber: (list: ListTerms) => number = () => -1,
    private readonly evaluateList: ListEvaluator | null = null,
  ) {
    const code: number[] = [];
    this.offsets = new Int32Array(trees.length);
    trees.forEach((tree, r) => {
      const at = code.length;
      this.offsets[r] = at;
      const ruleClauses = clauses[r] ?? [];
      code.push(0, ruleClauses.length);
      for (const clause of ruleClauses) {
        code.push(clause.length);
        for (const m of clause) code.push(m.id);
      }
      code[at] = code.length - at;
      this.emit(tree, code);
    });
    this.code = Int32Array.from(code);
  }

  /**
   * True when each prefilter clause of rule r has a mark present in the item with this stamp:
   * a rule failing this cannot match, and costs no evaluation.
   */
  passes(r: number, stamp: number): boolean {
    const code = this.code;
    let p = (this.offsets[r] as number) + 1;
    const clauses = code[p++] as number;
    for (let c = 0; c < clauses; c++) {
      const len = code[p++] as number;
      let ok = false;
      for (let j = 0; j < len; j++) {
        if (isPresent(code[p + j] as number, stamp)) {
          ok = true;
          break;
        }
      }
      if (!ok) return false;
      p += len;
    }
    return true;
  }

  /** Where rule r's program starts, past its clauses. */
  private start(r: number): number {
    const at = this.offsets[r] as number;
    return at + (this.code[at] as number);
  }

  private emit(node: Node, code: number[]): void {
    const at = code.length;
    switch (node.kind) {
      case "leaf": {
        const marks = node.marks;
        if (!node.feed && marks?.length === 1 && node.parts.length === 1) {
          const how = node.parts[0]?.prefix ? VIA_PREFIX : node.stemmed ? VIA_STEM : VIA_WORD;
          const ref = how === VIA_PREFIX ? this.nodes.push(node) : this.texts.push(node.text);
          code.push(MARK, 6, (marks[0] as { id: number }).id, node.fields, how, ref - 1);
          return;
        }
        code.push(TREE, 0, this.nodes.length, node.fields, ...requiredMarks(node));
        this.nodes.push(node);
        break;
      }
      case "near":
        code.push(TREE, 0, this.nodes.length, node.fields, ...requiredMarks(node));
        this.nodes.push(node);
        break;
      case "not":
        code.push(NOT, 0);
        this.emit(node.child, code);
        break;
      case "or":
        if (node.list?.anyMark && node.list.oneWordMark) {
          const { anyMark, oneWordMark, fields } = node.list;
          // One node per list, whichever rule names it: the rules share its leaves.
          let ref = this.listNodes.get(node.list);
          if (ref === undefined) {
            ref = this.nodes.push(node) - 1;
            this.listNodes.set(node.list, ref);
          }
          code.push(LIST, 7, ref, fields, anyMark.id, oneWordMark.id, this.listNumber(node.list));
          return;
        }
        code.push(OR, 0);
        for (const c of node.children) this.emit(c, code);
        break;
      case "and":
        code.push(AND, 0);
        for (const c of node.children) this.emit(c, code);
    }
    code[at + 1] = code.length - at;
  }

  /**
   * True when rule r matches the item. The item's presence marks must be set (markPresent,
   * and the rule set's prefix marks by its candidates()): the program trusts them.
   */
  matches(r: number, d: AnalyzedDocument): boolean {
    return this.run(this.start(r), d, d.stamp);
  }

  private run(pc: number, d: AnalyzedDocument, stamp: number): boolean {
    const code = this.code;
    switch (code[pc]) {
      case MARK:
        return (fieldsOf(code[pc + 2] as number, stamp) & (code[pc + 3] as number)) !== 0;
      case AND: {
        const end = pc + (code[pc + 1] as number);
        for (let c = pc + 2; c < end; c += code[c + 1] as number) {
          if (!this.run(c, d, stamp)) return false;
        }
        return true;
      }
      case OR: {
        const end = pc + (code[pc + 1] as number);
        for (let c = pc + 2; c < end; c += code[c + 1] as number) {
          if (this.run(c, d, stamp)) return true;
        }
        return false;
      }
      case NOT:
        return !this.run(pc + 2, d, stamp);
      case LIST:
        return this.list(pc, d, stamp, null);
      default:
        return this.node(pc, d, stamp, null);
    }
  }

  /** A shared list: settled by its two marks unless only its phrases can match. */
  private list(pc: number, d: AnalyzedDocument, stamp: number, out: MatchedTerm[] | null) {
    const code = this.code;
    const fields = code[pc + 3] as number;
    if ((fieldsOf(code[pc + 4] as number, stamp) & fields) === 0) return false;
    if (!out && (fieldsOf(code[pc + 5] as number, stamp) & fields) !== 0) return true;
    const n = code[pc + 6] as number;
    if (this.evaluateList && n >= 0) return this.evaluateList(n, d, fields, out);
    return evaluate(this.nodes[code[pc + 2] as number] as Node, d, out);
  }

  /**
   * A kept tree node (phrase, NEAR, prefix, feed): its marks must all be present in its
   * fields before the tree is walked; `out` collects the explanation when given.
   */
  private node(pc: number, d: AnalyzedDocument, stamp: number, out: MatchedTerm[] | null) {
    const code = this.code;
    const end = pc + (code[pc + 1] as number);
    const fields = code[pc + 3] as number;
    for (let k = pc + 4; k < end; k++) {
      if ((fieldsOf(code[k] as number, stamp) & fields) === 0) return false;
    }
    return evaluate(this.nodes[code[pc + 2] as number] as Node, d, out);
  }

  /**
   * Appends the explanation of rule r, which matched the item: the same entries, in the same
   * order, as evaluate() with an output on the rule's tree (the index-vs-naive test holds the
   * two together), without visiting the tree for one-word terms.
   */
  explain(r: number, d: AnalyzedDocument, out: MatchedTerm[]): void {
    this.explainAt(this.start(r), d, d.stamp, out);
  }

  private explainAt(pc: number, d: AnalyzedDocument, stamp: number, out: MatchedTerm[]): boolean {
    const code = this.code;
    switch (code[pc]) {
      case MARK: {
        const mark = code[pc + 2] as number;
        const present = fieldsOf(mark, stamp) & (code[pc + 3] as number);
        if (present === 0) return false;
        const ref = code[pc + 5] as number;
        if (code[pc + 4] === VIA_PREFIX) return evaluate(this.nodes[ref] as Leaf, d, out);
        const viaStem = code[pc + 4] === VIA_STEM;
        const text = this.texts[ref] as string;
        for (const f of d.fields) {
          if ((f.bit & present) !== 0) f.spansOfMark(mark, viaStem, text, out, MAX_EXPLAINED);
        }
        return true;
      }
      case AND: {
        const before = out.length;
        const end = pc + (code[pc + 1] as number);
        for (let c = pc + 2; c < end; c += code[c + 1] as number) {
          if (!this.explainAt(c, d, stamp, out)) {
            out.length = before;
            return false;
          }
        }
        return true;
      }
      case OR: {
        let any = false;
        const end = pc + (code[pc + 1] as number);
        for (let c = pc + 2; c < end; c += code[c + 1] as number) {
          if (this.explainAt(c, d, stamp, out)) any = true;
        }
        return any;
      }
      case NOT:
        return !this.run(pc + 2, d, stamp);
      case LIST:
        return this.list(pc, d, stamp, out);
      default:
        return this.node(pc, d, stamp, out);
    }
  }
}
