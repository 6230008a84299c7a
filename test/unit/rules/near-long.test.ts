import Database from "better-sqlite3";
import { afterAll, describe, expect, test } from "vitest";
import { compileRules } from "../../../src/rules/index.ts";
import { int, pick, prng, type Rng } from "../../property/generate.ts";

/*
 * NEAR on long, repetitive items, where each member occurs hundreds or thousands of times:
 * the case a one-pass window has to get right. SQLite FTS5 is the reference; a member that is
 * a @list is written for FTS5 as the OR of NEARs over every choice of alternatives.
 */

const WORDS = ["a", "b", "c", "d", "e"];
const FILLER = ["f", "g", "h", "i", "j", "k", "l", "m"];
const LISTS = { ab: ["a", "b"], cde: ["c", "d", "e"], pair: ["a b", "d"] };

/** Long runs of one query word, filler between them, the odd query word: up to `max` words. */
function longText(rng: Rng, max: number): string {
  const out: string[] = [];
  const length = int(rng, 1, max);
  while (out.length < length) {
    const r = rng();
    const w = r < 0.15 ? pick(rng, WORDS) : pick(rng, FILLER);
    const run = r < 0.15 ? int(rng, 20, 400) : int(rng, 1, 30);
    for (let i = 0; i < run; i++) out.push(rng() < 0.9 ? w : pick(rng, FILLER));
    if (rng() < 0.3) out.push(pick(rng, WORDS));
  }
  return out.slice(0, length).join(" ");
}

interface Member {
  ours: string;
  /** The FTS5 phrases it stands for (more than one for a @list). */
  fts: string[];
}

function member(rng: Rng): Member {
  const r = rng();
  if (r < 0.25) {
    const name = pick(rng, Object.keys(LISTS)) as keyof typeof LISTS;
    return { ours: `@${name}`, fts: LISTS[name].map((p) => `"${p}"`) };
  }
  if (r < 0.5) {
    const p = `${pick(rng, WORDS)} ${pick(rng, WORDS)}`;
    return { ours: `"${p}"`, fts: [`"${p}"`] };
  }
  const w = pick(rng, WORDS);
  return { ours: w, fts: [`"${w}"`] };
}

function nearQuery(rng: Rng): { ours: string; fts: string } {
  const members = Array.from({ length: int(rng, 2, 3) }, () => member(rng));
  const distance = int(rng, 0, 4);
  let choices: string[][] = [[]];
  for (const m of members) choices = choices.flatMap((c) => m.fts.map((p) => [...c, p]));
  return {
    ours: `NEAR(${members.map((m) => m.ours).join(" ")}, ${distance})`,
    fts: `content : (${choices.map((c) => `NEAR(${c.join(" ")}, ${distance})`).join(" OR ")})`,
  };
}

const db = new Database(":memory:");
afterAll(() => db.close());

describe("NEAR on long, repetitive items", () => {
  test("matches exactly the items SQLite FTS5 matches", () => {
    const rng = prng(37);
    const docs = Array.from({ length: 60 }, () => longText(rng, 6000));
    db.exec("CREATE VIRTUAL TABLE t USING fts5(content, tokenize = 'unicode61')");
    const insert = db.prepare("INSERT INTO t(rowid, content) VALUES (?, ?)");
    for (const [i, d] of docs.entries()) insert.run(i, d);
    const select = db.prepare("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid").pluck();

    const queries = Array.from({ length: 120 }, () => nearQuery(rng));
    const { ruleSet, problems } = compileRules(
      queries.map((q, i) => ({ id: String(i), query: q.ours, stemming: false })),
      LISTS,
    );
    expect(problems).toEqual([]);
    const ours = queries.map(() => [] as number[]);
    docs.forEach((content, d) => {
      const item = { feedId: "f", title: "", content, author: "", categories: [] };
      for (const m of ruleSet.match(item)) ours[Number(m.ruleId)]?.push(d);
    });
    let matched = 0;
    queries.forEach((q, i) => {
      expect({ query: q.ours, docs: ours[i] }).toEqual({ query: q.ours, docs: select.all(q.fts) });
      matched += ours[i]?.length ?? 0;
    });
    // Queries that match everything or nothing would prove little.
    expect(matched).toBeGreaterThan(queries.length * 5);
    expect(matched).toBeLessThan(queries.length * docs.length * 0.9);
  });

  test("a word repeated 40,000 times: no match when the other is too far, and the nearest pair is shown when it is close", () => {
    const { ruleSet } = compileRules([{ id: "r", query: "NEAR(a b, 0)" }], {});
    const item = (content: string) => ({
      feedId: "f",
      title: "",
      content,
      author: "",
      categories: [],
    });
    const run = "a ".repeat(40_000);
    expect(ruleSet.match(item(`${run}x x x x x b`))).toEqual([]);

    const [hit] = ruleSet.match(item(`${run}b`));
    expect(hit?.matched.map((m) => [m.term, m.start])).toEqual([
      ["a", 79_998],
      ["b", 80_000],
    ]);
  });
});
