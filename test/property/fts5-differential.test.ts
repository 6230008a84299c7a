import Database from "better-sqlite3";
import { afterAll, describe, expect, test } from "vitest";
import { analyze } from "../../src/rules/analyze.ts";
import { analyzeDocument } from "../../src/rules/document.ts";
import { evaluate } from "../../src/rules/evaluate.ts";
import { parseQuery } from "../../src/rules/parser.ts";
import { toFts5 } from "./fts5.ts";
import { prng, randomDocs, randomQuery } from "./generate.ts";

/*
 * Our matcher against SQLite FTS5 on random documents and queries, item by item.
 * Stemmed queries run against a `porter unicode61` table without prefix terms: FTS5 stems the
 * prefix itself and compares it with stems, while we compare prefixes with words as written
 * (on purpose; see docs/query-language.md). Prefixes are still checked, against a table without
 * stemming, where both sides compare words as written; that table also checks stemming: false.
 */

const DOCS = 2000;
const QUERIES = 400;
const db = new Database(":memory:");
afterAll(() => db.close());

const docs = randomDocs(prng(7), DOCS);
const analyzed = docs.map((d) =>
  analyzeDocument({ ...d, feedId: "f", author: "", categories: [] }),
);

function table(name: string, tokenizer: string) {
  db.exec(`CREATE VIRTUAL TABLE ${name} USING fts5(title, content, tokenize = '${tokenizer}')`);
  const insert = db.prepare(`INSERT INTO ${name}(rowid, title, content) VALUES (?, ?, ?)`);
  db.transaction(() => {
    docs.forEach((d, i) => {
      insert.run(i, d.title, d.content);
    });
  })();
  return db.prepare(`SELECT rowid FROM ${name} WHERE ${name} MATCH ? ORDER BY rowid`).pluck();
}

function compare(label: string, stemming: boolean, prefixes: boolean, seed: number) {
  const select = table(
    label,
    stemming ? "porter unicode61 remove_diacritics 2" : "unicode61 remove_diacritics 2",
  );
  const rng = prng(seed);
  let matchedPairs = 0;
  for (let q = 0; q < QUERIES; q++) {
    const query = randomQuery(rng, { prefixes, fields: true });
    const ast = parseQuery(query, { stemming });
    const fts = toFts5(ast);
    const expected = select.all(fts) as number[];
    const ours: number[] = [];
    analyzed.forEach((d, i) => {
      if (evaluate(ast, d, null)) ours.push(i);
    });
    // On a mismatch, show the query and the first item the two disagree on.
    if (ours.join() !== expected.join()) {
      const set = new Set(expected);
      const i = ours.find((x) => !set.has(x)) ?? expected.find((x) => !ours.includes(x));
      expect({ query, fts, doc: docs[i as number], ours: ours.includes(i as number) }).toEqual({
        query,
        fts,
        doc: docs[i as number],
        ours: set.has(i as number),
      });
    }
    matchedPairs += ours.length;
  }
  // Random queries that match nothing would prove nothing.
  expect(matchedPairs).toBeGreaterThan(QUERIES * 20);
}

describe("agreement with SQLite FTS5", () => {
  test("stemmed terms, phrases, NEAR, AND/OR/NOT and column filters: porter unicode61", () => {
    compare("stemmed", true, false, 11);
  });

  test("prefixes and unstemmed terms: unicode61 without porter", () => {
    compare("plain", false, true, 12);
  });
});

const SUFFIXES = [
  "",
  "s",
  "es",
  "ies",
  "sses",
  "ss",
  "ed",
  "eed",
  "ing",
  "y",
  "ational",
  "tional",
  "enci",
  "anci",
  "izer",
  "bli",
  "alli",
  "entli",
  "eli",
  "ousli",
  "ization",
  "ation",
  "ator",
  "alism",
  "iveness",
  "fulness",
  "ousness",
  "aliti",
  "iviti",
  "biliti",
  "logi",
  "icate",
  "ative",
  "alize",
  "iciti",
  "ical",
  "ful",
  "ness",
  "al",
  "ance",
  "ence",
  "er",
  "ic",
  "able",
  "ible",
  "ant",
  "ement",
  "ment",
  "ent",
  "sion",
  "tion",
  "ou",
  "ism",
  "ate",
  "iti",
  "ous",
  "ive",
  "ize",
  "e",
  "ll",
  "ating",
  "bled",
];
const ONSETS = [
  "",
  "b",
  "c",
  "d",
  "f",
  "g",
  "h",
  "l",
  "m",
  "n",
  "p",
  "r",
  "s",
  "t",
  "v",
  "w",
  "y",
  "z",
  "st",
  "tr",
  "ch",
];
const NUCLEI = ["a", "e", "i", "o", "u", "y", "ee", "ou", "ai"];
const CODAS = [
  "",
  "b",
  "d",
  "g",
  "l",
  "m",
  "n",
  "p",
  "r",
  "s",
  "t",
  "x",
  "w",
  "ll",
  "ss",
  "tt",
  "nd",
  "ç",
  "ñ",
  "ß",
  "ø",
];

test("the Porter stemmer gives FTS5's stem for 20,000 random English-looking words", () => {
  const rng = prng(99);
  const words = new Set<string>();
  while (words.size < 20_000) {
    let w = "";
    for (let s = 1 + Math.floor(rng() * 3); s > 0; s--) {
      w += ONSETS[Math.floor(rng() * ONSETS.length)];
      w += NUCLEI[Math.floor(rng() * NUCLEI.length)];
      w += CODAS[Math.floor(rng() * CODAS.length)];
    }
    words.add(w + SUFFIXES[Math.floor(rng() * SUFFIXES.length)]);
  }
  db.exec(
    "CREATE VIRTUAL TABLE w USING fts5(x, tokenize = 'porter unicode61 remove_diacritics 2')",
  );
  db.exec("CREATE VIRTUAL TABLE wv USING fts5vocab(w, 'instance')");
  const insert = db.prepare("INSERT INTO w(rowid, x) VALUES (?, ?)");
  const list = [...words];
  db.transaction(() => {
    list.forEach((w, i) => {
      insert.run(i, w);
    });
  })();
  const stems = db.prepare("SELECT doc, term FROM wv").all() as { doc: number; term: string }[];
  expect(stems.length).toBe(list.length);
  const wrong = stems
    .filter(({ doc, term }) => analyze(list[doc] as string)[0]?.stem !== term)
    .slice(0, 5)
    .map(
      ({ doc, term }) =>
        `${list[doc]}: fts5 ${term}, ours ${analyze(list[doc] as string)[0]?.stem}`,
    );
  expect(wrong).toEqual([]);
});
