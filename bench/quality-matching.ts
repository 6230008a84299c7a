/**
 * The matching part of bench:quality: recall and false alarms, on the labelled set, of
 * (a) the shipped watchlist, (b) `suggest` from one example like the Taji report, (c) `suggest`
 * from three examples and three negatives; and the gazetteer trap, each place term's firings
 * on the near-misses. Exported for bench/quality.ts, which runs it beside other sections.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { shippedListEntries, shippedLists } from "../src/config/shipped-lists.ts";
import { compileRules } from "../src/rules/index.ts";
import { type Example, suggestRule } from "../src/rules/suggest.ts";
import { asDocument, DEFAULT_SET, type LabelledItem, loadQualitySet } from "./quality-set.ts";

export interface Score {
  name: string;
  query: string;
  recall: number;
  falseAlarms: number;
  /** Items counted: the examples a suggestion was made from are left out. */
  alerts: number;
  quiet: number;
  missed: string[];
  wronglyAlerted: string[];
  target?: { recall: number; falseAlarms: number };
}

export interface QualitySection {
  title: string;
  run(set: LabelledItem[]): Score[] | string[];
}

const SHIPPED_CONFIG = fileURLToPath(new URL("../config/newswatch.yaml", import.meta.url));

/** The first watchlist of the shipped config, as a new user sees it. */
export function shippedWatchlistQuery(): string {
  const config = parse(readFileSync(SHIPPED_CONFIG, "utf8")) as {
    watchlists: { query: string }[];
  };
  return config.watchlists[0]?.query as string;
}

/** Scores a query on the set, leaving out the items given (the examples it was made from). */
export function score(
  name: string,
  query: string,
  set: LabelledItem[],
  leaveOut: ReadonlySet<string> = new Set(),
): Score {
  const { ruleSet, problems } = compileRules([{ id: "q", query }], shippedListEntries());
  if (problems.length > 0) throw new Error(`${name}: ${problems[0]?.message}: ${query}`);
  const counted = set.filter((i) => !leaveOut.has(i.id));
  const missed: string[] = [];
  const wronglyAlerted: string[] = [];
  for (const item of counted) {
    const hit = ruleSet.match(asDocument(item)).length > 0;
    if (item.alert && !hit) missed.push(item.id);
    if (!item.alert && hit) wronglyAlerted.push(item.id);
  }
  const alerts = counted.filter((i) => i.alert).length;
  const quiet = counted.length - alerts;
  return {
    name,
    query,
    recall: alerts === 0 ? 0 : (alerts - missed.length) / alerts,
    falseAlarms: quiet === 0 ? 0 : wronglyAlerted.length / quiet,
    alerts,
    quiet,
    missed,
    wronglyAlerted,
  };
}

const asExample = (item: LabelledItem): Example => ({ title: item.title, text: item.text });

/** Examples and negatives the suggest sections learn from: reports of our own set. */
export const ONE_EXAMPLE = ["taji-2020-03-11"];
export const THREE_EXAMPLES = ["taji-2020-03-11", "erbil-2021-04-14", "ar-asad-2021"];
export const THREE_NEGATIVES = ["spacex-starlink", "turkey-drones-sinjar", "asad-live-fire"];

/**
 * The examples come from our own set whatever set is scored (a held-out one has other ids),
 * and are left out of the scoring when the scored set has them.
 */
function byIds(ids: string[]): LabelledItem[] {
  const own = loadQualitySet(DEFAULT_SET);
  return ids.map((id) => {
    const found = own.find((i) => i.id === id);
    if (!found) throw new Error(`the labelled set has no item ${id}`);
    return found;
  });
}

/**
 * Place terms firing on near-misses that have nothing to do with Iraq, most first: those of
 * @iraq_places, and the names its generator left out (they show why).
 */
export function gazetteerTrap(set: LabelledItem[]): string[] {
  const places = shippedListEntries().iraq_places ?? [];
  const left =
    shippedLists()
      .get("iraq_places")
      ?.excluded.map((e) => e.name) ?? [];
  return [
    ...firingsOf(places, set, "@iraq_places"),
    ...firingsOf(left, set, "names left out of @iraq_places (see its excluded:)"),
  ];
}

function firingsOf(places: string[], set: LabelledItem[], what: string): string[] {
  const rules = places.map((p, i) => ({ id: String(i), query: `"${p.replaceAll('"', "")}"` }));
  const { ruleSet } = compileRules(rules, {});
  const firings = new Map<string, string[]>();
  // A set that does not mark its news from elsewhere is counted on all its near-misses.
  const marked = set.some((i) => i.elsewhere);
  const quiet = set.filter((i) => !i.alert && (i.elsewhere || !marked));
  for (const item of quiet) {
    for (const m of ruleSet.match(asDocument(item))) {
      const term = places[Number(m.ruleId)] as string;
      firings.set(term, [...(firings.get(term) ?? []), item.id]);
    }
  }
  const lines = [...firings]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([term, ids]) => `${String(ids.length).padStart(3)}  ${term}: ${ids.join(", ")}`);
  return [
    `${what}: ${places.length} terms over ${quiet.length} near-misses${marked ? " from outside Iraq" : ""}; fired:`,
    ...(lines.length > 0 ? lines : ["  none"]),
  ];
}

export const matchingSections: QualitySection[] = [
  {
    title: "(a) the shipped watchlist (config/newswatch.yaml)",
    run: (set) => [
      {
        ...score("shipped watchlist", shippedWatchlistQuery(), set),
        target: { recall: 0.95, falseAlarms: 0.03 },
      },
    ],
  },
  {
    title: "(b) suggest from one example (the Taji report)",
    run: (set) => {
      const examples = byIds(ONE_EXAMPLE);
      const s = suggestRule(examples.map(asExample), [], { lists: shippedListEntries() });
      return [
        {
          ...score("suggest, 1 example", s.query, set, new Set(ONE_EXAMPLE)),
          target: { recall: 0.8, falseAlarms: 0.1 },
        },
      ];
    },
  },
  {
    title: "(c) suggest from three examples and three negatives",
    run: (set) => {
      const examples = byIds(THREE_EXAMPLES);
      const negatives = byIds(THREE_NEGATIVES);
      const s = suggestRule(examples.map(asExample), negatives.map(asExample), {
        lists: shippedListEntries(),
      });
      const leaveOut = new Set([...THREE_EXAMPLES, ...THREE_NEGATIVES]);
      return [score("suggest, 3 examples + 3 negatives", s.query, set, leaveOut)];
    },
  },
  { title: "gazetteer trap: @iraq_places terms on the near-misses", run: gazetteerTrap },
];
