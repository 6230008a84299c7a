import type { MatchedTerm } from "../alerts/alert.ts";
import type { Node } from "./ast.ts";
import { type Cover, coverOf } from "./cover.ts";
import { type AnalyzedDocument, analyzeDocument, type MatchDocument } from "./document.ts";
import { QueryError } from "./errors.ts";
import { evaluate } from "./evaluate.ts";
import { parseQuery, queryWarnings } from "./parser.ts";

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
  ast: Node;
}

/** How the index splits the rules; exposed for the benchmark and tests. */
export interface IndexStats {
  rules: number;
  keys: number;
  prefixKeys: number;
  alwaysVerify: number;
}

const EMPTY: readonly number[] = [];

/**
 * Rules matched through an inverted index, as Lucene Monitor does: each rule is filed under the
 * keys of its cover; an item's words look up the rules that could match it, and only those
 * are evaluated. Cost per item follows the item's length and its candidates, not the rule count.
 */
export class IndexedRuleSet implements RuleSet {
  private readonly rules: CompiledRule[];
  private readonly byKey = new Map<string, number[]>();
  /** Prefix keys, looked up by every prefix length some rule uses. */
  private readonly prefixLengths: number[];
  private readonly alwaysVerify: number[] = [];
  private readonly seen: Uint32Array;
  private epoch = 0;
  private readonly hasUnstemmed: boolean;
  private readonly hasFeedKeys: boolean;

  constructor(rules: CompiledRule[]) {
    this.rules = rules;
    this.seen = new Uint32Array(rules.length);
    const lengths = new Set<number>();
    let unstemmed = false;
    let feed = false;
    rules.forEach((rule, i) => {
      const cover: Cover | null = coverOf(rule.ast);
      if (!cover) {
        this.alwaysVerify.push(i);
        return;
      }
      for (const key of cover.keys) {
        if (key.startsWith("p:")) lengths.add(key.length - 2);
        if (key.startsWith("t:")) unstemmed = true;
        if (key.startsWith("f:")) feed = true;
        const list = this.byKey.get(key);
        if (list) list.push(i);
        else this.byKey.set(key, [i]);
      }
    });
    this.prefixLengths = [...lengths].sort((a, b) => a - b);
    this.hasUnstemmed = unstemmed;
    this.hasFeedKeys = feed;
  }

  get size(): number {
    return this.rules.length;
  }

  get stats(): IndexStats {
    let prefixKeys = 0;
    for (const k of this.byKey.keys()) if (k.startsWith("p:")) prefixKeys++;
    return {
      rules: this.rules.length,
      keys: this.byKey.size,
      prefixKeys,
      alwaysVerify: this.alwaysVerify.length,
    };
  }

  /** Indices of the rules that might match: every rule whose cover meets the item. */
  candidates(d: AnalyzedDocument): number[] {
    this.epoch++;
    if (this.epoch === 0xffffffff) {
      this.seen.fill(0);
      this.epoch = 1;
    }
    const epoch = this.epoch;
    const seen = this.seen;
    const out: number[] = [];
    const add = (list: readonly number[] | undefined) => {
      if (!list) return;
      for (const r of list) {
        if (seen[r] !== epoch) {
          seen[r] = epoch;
          out.push(r);
        }
      }
    };
    const byKey = this.byKey;
    const lengths = this.prefixLengths;
    for (const f of d.fields) {
      for (const stem of f.stems.keys()) add(byKey.get(`s:${stem}`));
      if (this.hasUnstemmed || lengths.length > 0) {
        for (const term of f.terms().keys()) {
          if (this.hasUnstemmed) add(byKey.get(`t:${term}`));
          for (const len of lengths) {
            if (len > term.length) break;
            add(byKey.get(`p:${term.slice(0, len)}`));
          }
        }
      }
    }
    if (this.hasFeedKeys) add(byKey.get(`f:${d.feed}`));
    add(this.alwaysVerify.length > 0 ? this.alwaysVerify : EMPTY);
    return out;
  }

  match(doc: MatchDocument): RuleMatch[] {
    const d = analyzeDocument(doc);
    const found: number[] = [];
    for (const r of this.candidates(d)) {
      if (evaluate((this.rules[r] as CompiledRule).ast, d, null)) found.push(r);
    }
    // Report in config order, whatever order the index produced them in.
    found.sort((a, b) => a - b);
    return found.map((r) => this.explain(r, d));
  }

  /** Evaluates every rule on the item: the reference the index must agree with. */
  matchNaive(doc: MatchDocument): RuleMatch[] {
    const d = analyzeDocument(doc);
    const out: RuleMatch[] = [];
    for (let r = 0; r < this.rules.length; r++) {
      if (evaluate((this.rules[r] as CompiledRule).ast, d, null)) out.push(this.explain(r, d));
    }
    return out;
  }

  private explain(r: number, d: AnalyzedDocument): RuleMatch {
    const rule = this.rules[r] as CompiledRule;
    const matched: MatchedTerm[] = [];
    evaluate(rule.ast, d, matched);
    matched.sort((a, b) => fieldOrder(a) - fieldOrder(b) || a.start - b.start);
    return { ruleId: rule.id, matched };
  }
}

const FIELD_ORDER = { title: 0, content: 1, author: 2, category: 3, feed: 4 } as const;
const fieldOrder = (m: MatchedTerm): number => FIELD_ORDER[m.field];

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
  rules.forEach((spec, index) => {
    try {
      const ast = parseQuery(spec.query, { stemming: spec.stemming ?? true, lists });
      compiled.push({ id: spec.id, ast });
      for (const message of queryWarnings(spec.query, ast)) {
        warnings.push({ ruleId: spec.id, index, message });
      }
    } catch (err) {
      if (!(err instanceof QueryError)) throw err;
      problems.push({ ruleId: spec.id, index, message: err.message, column: err.column });
    }
  });
  return { ruleSet: new IndexedRuleSet(compiled), problems, warnings };
}
