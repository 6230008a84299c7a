import { distance } from "fastest-levenshtein";
import { analyze, foldValue } from "./analyze.ts";
import type { And, Leaf, ListTerms, Near, Node, Not, Or, Part } from "./ast.ts";
import { DEFAULT_FIELDS, FIELD_BIT, type Field } from "./ast.ts";
import { QueryError } from "./errors.ts";
import { type Lexeme, lex } from "./lexer.ts";

/** Bounds that keep a hostile or mistaken query from exhausting the stack or the matcher. */
export const LIMITS = {
  /** Characters in one query. */
  maxLength: 4000,
  /** Nested parentheses, NOT and field scopes. */
  maxDepth: 32,
  /** Terms and phrases in one query (an @list counts as one), and entries in one list. */
  maxTerms: 1000,
  /** Largest N in NEAR(..., N). */
  maxNear: 1000,
} as const;

/** FTS5's default when NEAR(...) gives no distance. */
export const DEFAULT_NEAR = 10;

export interface ParseOptions {
  stemming?: boolean;
  lists?: Record<string, string[]>;
  /**
   * Lists already parsed for this rule set, shared between its rules (see ListTerms). Without
   * it, each query parses the lists it names for itself.
   */
  listCache?: Map<string, ListTerms>;
}

interface Scope {
  fields: number;
  feed: boolean;
}

const UNSCOPED: Scope = { fields: DEFAULT_FIELDS, feed: false };
const FIELD_NAMES = Object.keys(FIELD_BIT) as Field[];
const NEAR_SHORTHAND = /^NEAR\/(\d+)$/;
const SCOPED_WORD = /^([A-Za-z]+):(.*)$/s;

class Parser {
  private pos = 0;
  private terms = 0;
  private readonly lexemes: Lexeme[];
  private readonly stemming: boolean;
  private readonly lists: Record<string, string[]>;
  private readonly listCache: Map<string, ListTerms>;

  constructor(query: string, opts: ParseOptions) {
    this.lexemes = lex(query);
    this.stemming = opts.stemming ?? true;
    this.lists = opts.lists ?? {};
    this.listCache = opts.listCache ?? new Map();
  }

  parse(): Node {
    const node = this.parseOr(0, UNSCOPED);
    const next = this.peek();
    if (next.kind === ")") throw this.error("unbalanced parenthesis: unexpected ')'", next);
    if (next.kind !== "end") throw this.error(`unexpected '${next.text}'`, next);
    return node;
  }

  private peek(): Lexeme {
    return this.lexemes[this.pos] as Lexeme;
  }

  private next(): Lexeme {
    const l = this.peek();
    if (l.kind !== "end") this.pos++;
    return l;
  }

  private error(reason: string, at: Lexeme | number): QueryError {
    return new QueryError(reason, (typeof at === "number" ? at : at.from) + 1);
  }

  private isWord(l: Lexeme, text: string): boolean {
    return l.kind === "word" && l.text === text;
  }

  private checkDepth(depth: number, at: Lexeme): void {
    if (depth > LIMITS.maxDepth) {
      throw this.error(`query nested too deeply (more than ${LIMITS.maxDepth} levels)`, at);
    }
  }

  private parseOr(depth: number, scope: Scope): Node {
    const first = this.parseAnd(depth, scope);
    const children = [first];
    while (this.isWord(this.peek(), "OR")) {
      this.next();
      children.push(this.parseAnd(depth, scope));
    }
    if (children.length === 1) return first;
    const or: Or = { kind: "or", children, from: first.from, to: (children.at(-1) as Node).to };
    return or;
  }

  /** True when the next lexeme can begin an operand, which makes juxtaposition an AND. */
  private startsOperand(l: Lexeme): boolean {
    if (l.kind === "end" || l.kind === ")" || l.kind === ",") return false;
    return !(this.isWord(l, "OR") || this.isWord(l, "AND"));
  }

  private parseAnd(depth: number, scope: Scope): Node {
    const first = this.parseUnary(depth, scope);
    const children = [first];
    let implicit = false;
    for (;;) {
      const l = this.peek();
      if (this.isWord(l, "AND")) {
        this.next();
      } else if (this.startsOperand(l)) {
        implicit = true;
      } else {
        break;
      }
      children.push(this.parseUnary(depth, scope));
    }
    if (children.length === 1) return first;
    const and: And = {
      kind: "and",
      children,
      implicit,
      grouped: false,
      from: first.from,
      to: (children.at(-1) as Node).to,
    };
    return and;
  }

  private parseUnary(depth: number, scope: Scope): Node {
    const l = this.peek();
    if (this.isWord(l, "NOT") || l.kind === "-") {
      this.checkDepth(depth + 1, l);
      this.next();
      const child =
        l.kind === "-" ? this.parsePrimary(depth + 1, scope) : this.parseUnary(depth + 1, scope);
      const not: Not = { kind: "not", child, from: l.from, to: child.to };
      return not;
    }
    return this.parseNearChain(depth, scope);
  }

  /** `a NEAR/5 b NEAR/5 c` is NEAR(a b c, 5). */
  private parseNearChain(depth: number, scope: Scope): Node {
    const first = this.parsePrimary(depth, scope);
    let m = this.peek().kind === "word" ? NEAR_SHORTHAND.exec(this.peek().text) : null;
    if (!m) return first;
    const members = [this.nearMember(first, this.peek())];
    let distance: number | undefined;
    while (m) {
      const op = this.next();
      const d = this.nearDistance(m[1] as string, op);
      if (distance !== undefined && d !== distance) {
        throw this.error("a NEAR/N chain must use one distance; use NEAR(a b c, N)", op);
      }
      distance = d;
      const operand = this.parsePrimary(depth, scope);
      members.push(this.nearMember(operand, op));
      m = this.peek().kind === "word" ? NEAR_SHORTHAND.exec(this.peek().text) : null;
    }
    const last = members.at(-1)?.at(-1) as Leaf;
    const near: Near = {
      kind: "near",
      members,
      distance: distance ?? DEFAULT_NEAR,
      fields: scope.fields,
      from: first.from,
      to: Math.max(last.to, first.to),
    };
    return near;
  }

  private nearDistance(digits: string, at: Lexeme): number {
    const d = Number(digits);
    if (!Number.isSafeInteger(d) || d > LIMITS.maxNear) {
      throw this.error(`NEAR distance must be at most ${LIMITS.maxNear}`, at);
    }
    return d;
  }

  /** A NEAR operand must be a term, phrase or @list (an OR of those). */
  private nearMember(node: Node, at: Lexeme): Leaf[] {
    if (node.kind === "leaf" && !node.feed) return [node];
    if (node.kind === "or" && node.children.every((c) => c.kind === "leaf" && !c.feed)) {
      return node.children as Leaf[];
    }
    throw this.error("NEAR joins only terms, phrases and @lists", node.from === 0 ? at : node.from);
  }

  private parsePrimary(depth: number, scope: Scope): Node {
    const l = this.peek();
    switch (l.kind) {
      case "(":
        return this.parseGroup(depth, scope);
      case "phrase":
        this.next();
        return this.leaf(l.text, l.prefix, scope, l);
      case "word":
        return this.parseWord(depth, scope);
      case ")":
        throw this.error("expected a term, found ')'", l);
      case ",":
        throw this.error("unexpected ','", l);
      case "-":
        throw this.error("expected a term after '-'", l);
      default:
        throw this.error("expected a term", l);
    }
  }

  private parseGroup(depth: number, scope: Scope): Node {
    const open = this.next();
    this.checkDepth(depth + 1, open);
    if (this.peek().kind === ")") throw this.error("empty parentheses", this.peek());
    const inner = this.parseOr(depth + 1, scope);
    const close = this.peek();
    if (close.kind !== ")") throw this.error("expected ')'", close);
    this.next();
    if (inner.kind === "and") inner.grouped = true;
    inner.from = open.from;
    inner.to = close.to;
    return inner;
  }

  private parseWord(depth: number, scope: Scope): Node {
    const l = this.next();
    const text = l.text;
    if (text === "AND" || text === "OR") throw this.error(`expected a term, found '${text}'`, l);
    if (text === "NOT") throw this.error("expected a term after NOT", l);
    if (text === "NEAR" && this.peek().kind === "(") return this.parseNearGroup(l, scope);
    if (NEAR_SHORTHAND.test(text)) throw this.error(`expected a term before '${text}'`, l);

    const scoped = SCOPED_WORD.exec(text);
    if (scoped) {
      const name = (scoped[1] as string).toLowerCase() as Field;
      if (!FIELD_NAMES.includes(name)) {
        throw this.error(`unknown field '${scoped[1]}:' (fields: ${FIELD_NAMES.join(", ")})`, l);
      }
      this.checkDepth(depth + 1, l);
      const inner: Scope = { fields: FIELD_BIT[name], feed: name === "feed" };
      const rest = scoped[2] as string;
      if (rest === "") {
        const node = this.parsePrimary(depth + 1, inner);
        node.from = l.from;
        return node;
      }
      const restAt = { ...l, from: l.to - rest.length, text: rest };
      if (rest === "NEAR" && this.peek().kind === "(") {
        const near = this.parseNearGroup(restAt, inner);
        near.from = l.from;
        return near;
      }
      if (rest.startsWith("@") && !inner.feed) return this.listRef(rest, inner, restAt);
      return this.wordLeaf(rest, inner, restAt, l.from);
    }
    if (text.startsWith("@")) return this.listRef(text, scope, l);
    return this.wordLeaf(text, scope, l, l.from);
  }

  private wordLeaf(text: string, scope: Scope, at: Lexeme, from: number): Leaf {
    const prefix = text.endsWith("*");
    const body = prefix ? text.slice(0, -1) : text;
    if (body.includes("*")) throw this.error("'*' is allowed only at the end of a word", at);
    const leaf = this.leaf(body, prefix, scope, at);
    leaf.from = from;
    leaf.text = text;
    return leaf;
  }

  private listRef(text: string, scope: Scope, at: Lexeme): Node {
    const name = text.slice(1);
    const entries = Object.hasOwn(this.lists, name) ? this.lists[name] : undefined;
    if (!entries) throw this.error(`unknown list ${text}${closestNames(name, this.lists)}`, at);
    if (entries.length === 0) throw this.error(`list ${text} is empty`, at);
    if (entries.length > LIMITS.maxTerms) {
      throw this.error(`too many terms in list ${text} (more than ${LIMITS.maxTerms})`, at);
    }
    // A list counts as one term against the limit: its entries are data the config owner
    // reviewed (a gazetteer has hundreds), and the index reads them as one term.
    this.countTerm(at);
    const list = this.listTerms(name, entries, scope, at);
    if (list.leaves.length === 1) return list.leaves[0] as Leaf;
    const or: Or = { kind: "or", children: list.leaves, from: at.from, to: at.to, list };
    return or;
  }

  private listTerms(name: string, entries: string[], scope: Scope, at: Lexeme): ListTerms {
    const key = `${name}|${this.stemming ? "s" : "w"}|${scope.fields}`;
    const cached = this.listCache.get(key);
    if (cached) return cached;
    const leaves = entries.map((entry) => {
      const prefix = entry.endsWith("*");
      const body = (prefix ? entry.slice(0, -1) : entry).replaceAll('"', "");
      const leaf = this.leaf(body, prefix, scope, at, `in list @${name}: `, false);
      leaf.text = entry;
      return leaf;
    });
    const list: ListTerms = { key, name, leaves, fields: scope.fields };
    this.listCache.set(key, list);
    return list;
  }

  private parseNearGroup(nearWord: Lexeme, scope: Scope): Near {
    this.next(); // (
    const members: Leaf[][] = [];
    let distance = DEFAULT_NEAR;
    for (;;) {
      const l = this.peek();
      if (l.kind === ")") break;
      if (l.kind === ",") {
        this.next();
        const n = this.next();
        if (n.kind !== "word" || !/^\d+$/.test(n.text)) {
          throw this.error("expected a number after ',' in NEAR(...)", n);
        }
        distance = this.nearDistance(n.text, n);
        if (this.peek().kind !== ")") throw this.error("expected ')'", this.peek());
        break;
      }
      if (l.kind === "phrase") {
        this.next();
        members.push([this.leaf(l.text, l.prefix, scope, l)]);
      } else if (l.kind === "word" && !["AND", "OR", "NOT"].includes(l.text)) {
        this.next();
        if (SCOPED_WORD.test(l.text)) {
          throw this.error("put field scopes before NEAR(...), not inside it", l);
        }
        const node = l.text.startsWith("@")
          ? this.listRef(l.text, scope, l)
          : this.wordLeaf(l.text, scope, l, l.from);
        members.push(this.nearMember(node, l));
      } else if (l.kind === "end") {
        throw this.error("expected ')'", l);
      } else {
        throw this.error("NEAR(...) takes only terms, phrases and @lists", l);
      }
    }
    const close = this.next();
    if (members.length < 2) throw this.error("NEAR needs at least two terms", nearWord);
    return {
      kind: "near",
      members,
      distance,
      fields: scope.fields,
      from: nearWord.from,
      to: close.to,
    };
  }

  private countTerm(at: Lexeme): void {
    this.terms++;
    if (this.terms > LIMITS.maxTerms) {
      throw this.error(`too many terms (more than ${LIMITS.maxTerms})`, at);
    }
  }

  private leaf(
    text: string,
    prefix: boolean,
    scope: Scope,
    at: Lexeme,
    context = "",
    counted = true,
  ): Leaf {
    if (counted) this.countTerm(at);
    const quoted = at.kind === "phrase" ? `"${text}"${prefix ? "*" : ""}` : text;
    if (scope.feed) {
      const value = foldValue(text);
      if (value === "") throw this.error(`${context}empty feed id`, at);
      const feedPart: Part = { value, prefix };
      return {
        kind: "leaf",
        text: quoted,
        parts: [],
        stemmed: false,
        fields: scope.fields,
        feed: feedPart,
        from: at.from,
        to: at.to,
      };
    }
    const tokens = analyze(text, { stemming: this.stemming });
    if (tokens.length === 0) {
      throw this.error(`${context}no letters or digits in '${quoted}'`, at);
    }
    const parts: Part[] = tokens.map((t, i) => {
      const isPrefix = prefix && i === tokens.length - 1;
      return { value: isPrefix ? t.term : t.stem, prefix: isPrefix };
    });
    return {
      kind: "leaf",
      text: quoted,
      parts,
      stemmed: this.stemming,
      fields: scope.fields,
      from: at.from,
      to: at.to,
    };
  }
}

/**
 * The known list names nearest to a mistyped one, for the error: by edit distance, and any
 * name sharing the typed stem (`@iraq` offers iraq_sites and iraq_places).
 */
function closestNames(name: string, lists: Record<string, string[]>): string {
  const known = Object.keys(lists);
  if (known.length === 0) return " (no lists are defined)";
  const lower = name.toLowerCase();
  const scored = known
    .map((k) => {
      const kl = k.toLowerCase();
      const shares = kl.startsWith(lower) || lower.startsWith(kl) ? 0 : 1;
      return { k, d: Math.min(distance(lower, kl), shares === 0 ? 1 : Number.POSITIVE_INFINITY) };
    })
    .sort((a, b) => a.d - b.d || a.k.localeCompare(b.k));
  const near = scored.filter((s) => s.d <= Math.max(2, Math.floor(name.length / 3))).slice(0, 3);
  if (near.length > 0) return ` (did you mean ${near.map((s) => `@${s.k}`).join(", ")}?)`;
  return ` (known lists: ${known
    .sort()
    .map((k) => `@${k}`)
    .join(", ")})`;
}

/** Parses a query into its AST; throws QueryError with the column of the first problem. */
export function parseQuery(query: string, opts: ParseOptions = {}): Node {
  if (query.length > LIMITS.maxLength) {
    throw new QueryError(`query too long (more than ${LIMITS.maxLength} characters)`, 1);
  }
  if (query.trim() === "") throw new QueryError("empty query", 1);
  const node = new Parser(query, opts).parse();
  requirePositive(node);
  return node;
}

/**
 * True when the node can only be satisfied by something present. A query whose match rests on
 * absence alone would alert on nearly every item, and no index can find its candidates.
 */
export function isPositive(node: Node): boolean {
  switch (node.kind) {
    case "leaf":
    case "near":
      return true;
    case "not":
      return false;
    case "and":
      return node.children.some(isPositive);
    case "or":
      return node.children.every(isPositive);
  }
}

function requirePositive(node: Node): void {
  if (!isPositive(node)) {
    throw new QueryError(
      "the query matches only by what is absent (NOT/-); add a term that must be present",
      node.from + 1,
    );
  }
  visitOrs(node, (or) => {
    for (const child of or.children) {
      if (!isPositive(child)) {
        throw new QueryError(
          "each OR alternative needs a term that must be present; move the NOT outside the OR",
          child.from + 1,
        );
      }
    }
  });
}

function visitOrs(node: Node, fn: (or: Or) => void): void {
  if (node.kind === "or") fn(node);
  if (node.kind === "and" || node.kind === "or") for (const c of node.children) visitOrs(c, fn);
  if (node.kind === "not") visitOrs(node.child, fn);
}

/** Warnings about queries that parse but probably do not say what their author meant. */
export function queryWarnings(query: string, node: Node): string[] {
  const warnings: string[] = [];
  visitOrs(node, (or) => {
    const mixed = or.children.some((c) => c.kind === "and" && c.implicit && !c.grouped);
    if (!mixed) return;
    const reading = or.children
      .map((c) => {
        const src = query.slice(c.from, c.to);
        return c.kind === "and" && !c.grouped ? `(${src})` : src;
      })
      .join(" OR ");
    warnings.push(`mixes OR with implicit AND without parentheses; read as: ${reading}`);
  });
  return warnings;
}
