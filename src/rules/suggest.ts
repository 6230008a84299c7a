import { analyze } from "./analyze.ts";
import { compileRules, type IndexedRuleSet } from "./ruleset.ts";
import { isStopword, suggestQuery } from "./suggest-words.ts";

export { suggestQuery } from "./suggest-words.ts";

/** An example report (or a negative one): its title and text. */
export interface Example {
  title: string;
  text: string;
}

export interface SuggestOptions {
  /** The lists queries see: the shipped concept lists and the config's. */
  lists: Record<string, string[]>;
  /**
   * Recently stored items: exclusions are offered where the rule would catch some of them
   * that only a launch, a drill, a show or a rate decision explains.
   */
  recent?: Example[];
}

export interface RuleSuggestion {
  /** "" when the examples give nothing to watch for. */
  query: string;
  /** Headings, with their details indented by two spaces. */
  reasons: string[];
  /** Titles of the examples the rule does not match and the negatives it still matches. */
  unseparated: { examples: string[]; negatives: string[] };
  /** False when no concept list applied and the query is made of the examples' own words. */
  concepts: boolean;
}

/**
 * The parts of an incident, each a set of concept lists that are alternatives: a rocket
 * report should also catch the drone attack on the same base, so a part found in the examples
 * brings in its sibling lists. `qualifier` narrows a list that alone is too broad.
 */
const PARTS: {
  part: string;
  lists: string[];
  /** Why a sibling list no example mentions is in the rule. */
  widen: string;
  qualified?: { list: string; by: string };
}[] = [
  {
    part: "what happened",
    lists: ["indirect_fire", "drones"],
    widen: "the other kind of attack from afar, on the same targets",
  },
  {
    part: "what was hit",
    lists: ["iraq_sites", "military_sites"],
    widen: "the other way of naming the target (a named site, or a base hosting the forces)",
    // A base alone is also a PKK camp struck by Turkey or a Turkish base: with the forces the
    // examples name, it is one of theirs.
    qualified: { list: "military_sites", by: "coalition" },
  },
  {
    part: "where",
    lists: ["iraq_places", "iraq_sites"],
    widen: "a named site places a report in Iraq as well as a town does",
  },
];

/** News that shares the incidents' words, excluded unless an example is about it. */
const EXCLUSIONS: { list: string; what: string }[] = [
  { list: "space_launches", what: "space launches" },
  { list: "drills", what: "drills and exercises" },
  { list: "shows", what: "drone shows, fireworks and civilian drones" },
  { list: "interest_rates", what: "interest rates and markets" },
  { list: "other_theatres", what: "bases outside Iraq (unless a named Iraqi site is there too)" },
];

const doc = (e: Example) => ({
  feedId: "example",
  title: e.title,
  content: e.text,
  author: "",
  categories: [],
});

/** Which concept lists each example mentions, with the words that matched. */
function conceptsOf(examples: Example[], lists: Record<string, string[]>): Map<string, string[]>[] {
  const names = Object.keys(lists);
  const { ruleSet } = compileRules(
    names.map((n) => ({ id: n, query: `@${n}` })),
    lists,
  );
  return examples.map((e) => {
    const found = new Map<string, string[]>();
    for (const m of ruleSet.match(doc(e))) {
      found.set(m.ruleId, [...new Set(m.matched.map((t) => t.text.toLowerCase()))]);
    }
    return found;
  });
}

const quote = (words: string[]) =>
  words
    .slice(0, 4)
    .map((w) => `"${w}"`)
    .join(", ");

interface Part {
  query: string;
  reasons: string[];
}

/** One part of the rule, when every example has it; null (with the reason) when not. */
function partOf(
  spec: (typeof PARTS)[number],
  seen: Map<string, string[]>[],
  titles: string[],
  lists: Record<string, string[]>,
  qualify: boolean,
): Part | { missing: string } {
  const available = spec.lists.filter((l) => l in lists);
  const lacking = seen.findIndex((s) => !available.some((l) => s.has(l)));
  if (available.length === 0 || lacking >= 0) {
    return { missing: lacking >= 0 ? (titles[lacking] as string) : "" };
  }
  const reasons: string[] = [];
  const alternatives = available.map((list) => {
    const words = [...new Set(seen.flatMap((s) => s.get(list) ?? []))];
    const q = spec.qualified;
    // Qualified unless that loses an example (suggestRule tries both): the others match
    // through a named site.
    if (q && q.list === list && qualify && q.by in lists) {
      const forces = [...new Set(seen.flatMap((s) => s.get(q.by) ?? []))];
      const hosting =
        forces.length > 0 ? `hosting ${quote(forces)}` : `with @${q.by}, named in no example`;
      reasons.push(
        `  @${list} AND @${q.by}: ${words.length ? `${quote(words)}, ` : ""}${hosting}; a base alone is also a PKK camp or a Turkish base`,
      );
      return `(@${list} AND @${q.by})`;
    }
    reasons.push(
      words.length > 0
        ? `  @${list}: ${quote(words)} in the example${seen.length > 1 ? "s" : ""}`
        : `  @${list}: in no example; ${spec.widen}`,
    );
    return `@${list}`;
  });
  const query =
    alternatives.length === 1 ? (alternatives[0] as string) : `(${alternatives.join(" OR ")})`;
  return { query, reasons: [`${spec.part} (any of):`, ...reasons] };
}

/** Words of a negative's title that no example has: what tells it apart, best first. */
function distinctiveWords(negative: Example, examples: Example[]): string[] {
  const inExamples = new Set(
    examples.flatMap((e) => analyze(`${e.title} ${e.text}`).map((t) => t.stem)),
  );
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of analyze(negative.title)) {
    if (t.term.length < 4 || /^\d+$/.test(t.term) || isStopword(t.term)) continue;
    if (inExamples.has(t.stem) || seen.has(t.stem)) continue;
    seen.add(t.stem);
    out.push(t.term);
  }
  return out.sort((a, b) => b.length - a.length);
}

const matches = (rules: IndexedRuleSet, e: Example) => rules.match(doc(e)).length > 0;

function compile(query: string, lists: Record<string, string[]>): IndexedRuleSet | null {
  const { ruleSet, problems } = compileRules([{ id: "s", query }], lists);
  return problems.length > 0 ? null : ruleSet;
}

/**
 * Proposes a watchlist rule from example reports: what happened, what was hit and where,
 * each mapped to the concept lists the examples mention (with their siblings, so the next
 * report worded otherwise still alerts), then exclusions for the news that shares those words
 * (learned from the negatives and the recent items, and standard for the concepts). The rule
 * matches every example and no negative, or the result says which it could not separate.
 * Where no concept applies, the examples' own key words make the rule (suggestQuery).
 */
export function suggestRule(
  examples: Example[],
  negatives: Example[],
  opts: SuggestOptions,
): RuleSuggestion {
  const { lists } = opts;
  const titles = examples.map((e) => e.title);
  const seen = conceptsOf(examples, lists);
  const notes: string[] = [];
  const partsWith = (qualify: boolean): Part[] => {
    notes.length = 0;
    const parts: Part[] = [];
    for (const spec of PARTS) {
      const part = partOf(spec, seen, titles, lists, qualify);
      if ("missing" in part) {
        if (part.missing) notes.push(`no ${spec.part} of the concept lists in "${part.missing}"`);
        continue;
      }
      parts.push(part);
    }
    return parts;
  };
  let parts = partsWith(true);
  // Without what happened, the places and sites alone would watch every story about them.
  const happened = parts.some((p) => p.reasons[0]?.startsWith(PARTS[0]?.part ?? ""));
  if (parts.length < 2 || !happened) return keywordRule(examples, negatives, lists, notes);
  const qualified = compile(parts.map((p) => p.query).join(" AND "), lists);
  if (!qualified || !examples.every((e) => matches(qualified, e))) parts = partsWith(false);

  let query = parts.map((p) => p.query).join(" AND ");
  const reasons = parts.flatMap((p) => p.reasons);
  const exclusionReasons: string[] = [];
  const recent = opts.recent ?? [];
  const base = compile(query, lists);
  const caughtRecent = base ? recent.filter((r) => matches(base, r)) : [];
  const negSeen = conceptsOf(negatives, lists);
  const recentSeen = conceptsOf(caughtRecent, lists);
  for (const { list, what } of EXCLUSIONS) {
    if (!(list in lists)) continue;
    if (seen.some((s) => s.has(list))) {
      exclusionReasons.push(`  not -@${list}: an example mentions ${what}`);
      continue;
    }
    const keepSites = list === "other_theatres" && "iraq_sites" in lists;
    query += keepSites ? ` -(@${list} -@iraq_sites)` : ` -@${list}`;
    const fromNegatives = negatives.filter((_, i) => negSeen[i]?.has(list)).map((n) => n.title);
    const fromRecent = recentSeen.filter((s) => s.has(list)).length;
    const why = [
      fromNegatives.length > 0 ? `learned from ${quote(fromNegatives)}` : "",
      fromRecent > 0 ? `${fromRecent} of the ${caughtRecent.length} recent items it catches` : "",
    ].filter(Boolean);
    exclusionReasons.push(`  -@${list}: ${what}${why.length ? ` (${why.join("; ")})` : ""}`);
  }
  const result = separate(query, examples, negatives, lists, exclusionReasons);
  return {
    query: result.query,
    reasons: [
      ...reasons,
      "without (shares the words, is not an attack):",
      ...result.reasons,
      ...notes.map((n) => `note: ${n}`),
    ],
    unseparated: result.unseparated,
    concepts: true,
  };
}

/**
 * Adds a word exclusion for each negative the rule still matches (a word of its title no
 * example has), and lists what it still cannot tell apart.
 */
function separate(
  start: string,
  examples: Example[],
  negatives: Example[],
  lists: Record<string, string[]>,
  reasons: string[],
): { query: string; reasons: string[]; unseparated: RuleSuggestion["unseparated"] } {
  let query = start;
  for (const negative of negatives) {
    const rules = compile(query, lists);
    if (!rules || !matches(rules, negative)) continue;
    for (const word of distinctiveWords(negative, examples).slice(0, 3)) {
      const tried = `${query} -${word}`;
      const next = compile(tried, lists);
      if (!next || matches(next, negative) || !examples.every((e) => matches(next, e))) continue;
      query = tried;
      reasons.push(`  -${word}: in "${negative.title}", in no example`);
      break;
    }
  }
  const rules = compile(query, lists);
  return {
    query,
    reasons,
    unseparated: {
      examples: rules ? examples.filter((e) => !matches(rules, e)).map((e) => e.title) : [],
      negatives: rules ? negatives.filter((n) => matches(rules, n)).map((n) => n.title) : [],
    },
  };
}

/** No concept applies: the first example's key words, then the same separation. */
function keywordRule(
  examples: Example[],
  negatives: Example[],
  lists: Record<string, string[]>,
  notes: string[],
): RuleSuggestion {
  const first = examples[0] as Example;
  const words = suggestQuery(`${first.title.replaceAll("\n", " ")}\n${first.text}`);
  if (words.query === "") {
    return {
      query: "",
      reasons: words.reasons,
      unseparated: { examples: [], negatives: [] },
      concepts: false,
    };
  }
  const result = separate(words.query, examples, negatives, lists, []);
  const without = result.reasons.length > 0 ? ["without:", ...result.reasons] : [];
  return {
    query: result.query,
    reasons: [...words.reasons, ...without, ...notes.map((n) => `note: ${n}`)],
    unseparated: result.unseparated,
    concepts: false,
  };
}
