import Database from "better-sqlite3";
import { afterAll, describe, expect, test } from "vitest";
import { analyzeDocument } from "../../src/rules/document.ts";
import { evaluate } from "../../src/rules/evaluate.ts";
import { parseQuery } from "../../src/rules/parser.ts";
import { compileRules } from "../../src/rules/ruleset.ts";
import { toFts5 } from "./fts5.ts";
import { int, pick, prng, type Rng, randomQuery } from "./generate.ts";

/*
 * Arabic spelled the many ways it is written against SQLite FTS5 on the one plain spelling.
 * FTS5 keeps أربيل and اربيل apart and does not stem Arabic, so it cannot be asked about the
 * variants directly; but it can say what a query means on text written plainly. The documents
 * and queries below are written in plain words (bare alef, no marks, no affixes, each word its
 * own Light10 stem), FTS5 matches them, and our matcher, given the same documents and queries
 * re-spelled at random (hamza on the alef, ta marbuta, alef maqsura, harakat, tatweel and, for
 * stemmed queries, Light10's prefixes and suffixes), must find exactly the same items.
 */

/** Each is its own normal form and its own Light10 stem; English words mix the scripts. */
const PLAIN = [
  "صاروخ",
  "جيش",
  "بغداد",
  "اربيل",
  "مطار",
  "هجوم",
  "قصف",
  "كاتيوشا",
  "عراق",
  "تاج",
  "موصل",
  "rocket",
  "rockets",
  "base",
  "bases",
];
const PREFIXES = ["", "", "ال", "وال", "بال", "كال", "فال", "لل", "و"];
const SUFFIXES = ["", "", "ان", "ات", "ون", "ين", "ي", "ها", "ه"];
const HARAKAT = ["\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u064b", "\u064c", "\u064d"];
const ALEFS = ["\u0627", "\u0623", "\u0625", "\u0622"];
const ARABIC_WORD = /[\u0621-\u064a]+/g;

/** Writes a plain Arabic word another way that reads the same: marks, tatweel, letter forms. */
function respell(rng: Rng, word: string): string {
  let out = "";
  const letters = [...word];
  letters.forEach((ch, i) => {
    let c = ch;
    if (c === "\u0627" && rng() < 0.5) c = pick(rng, ALEFS);
    else if (c === "\u0647" && i === letters.length - 1 && rng() < 0.5) c = "\u0629";
    else if (c === "\u064a" && rng() < 0.3) c = "\u0649";
    out += c;
    if (rng() < 0.25) out += pick(rng, HARAKAT);
    // Tatweel stretches the joint between two letters, never the ends of a word.
    if (i < letters.length - 1 && rng() < 0.1) out += "\u0640";
  });
  return out;
}

/** A form Light10 brings back to the plain word: an article or "and" before, an ending after. */
function inflect(rng: Rng, word: string): string {
  return pick(rng, PREFIXES) + word + pick(rng, SUFFIXES);
}

function rewrite(rng: Rng, text: string, affixes: boolean): string {
  return text.replace(ARABIC_WORD, (w) => respell(rng, affixes ? inflect(rng, w) : w));
}

function plainSentence(rng: Rng, lo: number, hi: number): string {
  return Array.from({ length: int(rng, lo, hi) }, () => pick(rng, PLAIN)).join(" ");
}

const DOCS = 1500;
const QUERIES = 300;
const rng = prng(2026);
const docs = Array.from({ length: DOCS }, () => ({
  title: plainSentence(rng, 2, 6),
  content: plainSentence(rng, 4, 20),
}));
const db = new Database(":memory:");
afterAll(() => db.close());

function fts5(name: string, tokenizer: string) {
  db.exec(`CREATE VIRTUAL TABLE ${name} USING fts5(title, content, tokenize = '${tokenizer}')`);
  const insert = db.prepare(`INSERT INTO ${name}(rowid, title, content) VALUES (?, ?, ?)`);
  db.transaction(() => {
    docs.forEach((d, i) => {
      insert.run(i, d.title, d.content);
    });
  })();
  return db.prepare(`SELECT rowid FROM ${name} WHERE ${name} MATCH ? ORDER BY rowid`).pluck();
}

function compare(stemming: boolean, seed: number) {
  const select = fts5(
    stemming ? "stemmed" : "plain",
    stemming ? "porter unicode61 remove_diacritics 2" : "unicode61 remove_diacritics 2",
  );
  const r = prng(seed);
  // Prefixes compare words as written, so they meet re-spelled words but not inflected ones.
  const affixes = stemming;
  const written = docs.map((d) => ({
    feedId: "f",
    title: rewrite(r, d.title, affixes),
    content: rewrite(r, d.content, affixes),
    author: "",
    categories: [],
  }));
  const analysed = written.map(analyzeDocument);
  const queries = Array.from({ length: QUERIES }, () =>
    randomQuery(r, { prefixes: !stemming, fields: true, vocabulary: PLAIN }),
  );
  const respelled = queries.map((q) => rewrite(r, q, affixes));
  const { ruleSet, problems } = compileRules(
    respelled.map((query, i) => ({ id: String(i), query, stemming })),
    {},
  );
  expect(problems).toEqual([]);
  const byIndex = respelled.map(() => [] as number[]);
  written.forEach((d, i) => {
    for (const m of ruleSet.match(d)) byIndex[Number(m.ruleId)]?.push(i);
  });

  let matchedPairs = 0;
  queries.forEach((plain, q) => {
    const expected = select.all(toFts5(parseQuery(plain, { stemming }))) as number[];
    const ast = parseQuery(respelled[q] as string, { stemming });
    const ours = analysed.flatMap((d, i) => (evaluate(ast, d, null) ? [i] : []));
    if (ours.join() !== expected.join() || byIndex[q]?.join() !== expected.join()) {
      const set = new Set(expected);
      const i = ours.find((x) => !set.has(x)) ?? expected.find((x) => !ours.includes(x)) ?? 0;
      expect({ query: respelled[q], doc: written[i], ours: ours.includes(i) }).toEqual({
        query: respelled[q],
        doc: written[i],
        ours: set.has(i),
      });
      expect(byIndex[q]).toEqual(expected);
    }
    matchedPairs += expected.length;
  });
  // Random queries that match nothing would prove nothing.
  expect(matchedPairs).toBeGreaterThan(QUERIES * 20);
}

describe("Arabic written any way matches what FTS5 matches on the plain spelling", () => {
  test("stemmed: marks, tatweel, hamza and ta marbuta, articles, و and endings", () => {
    compare(true, 31);
  });

  test("unstemmed and prefixes: marks, tatweel, hamza and ta marbuta", () => {
    compare(false, 32);
  });
});
