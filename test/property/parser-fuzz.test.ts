import { expect, test } from "vitest";
import { checkQuery, compileRules } from "../../src/rules/index.ts";
import { int, pick, prng } from "./generate.ts";

const PIECES = [
  "rocket",
  "Base",
  "café",
  "(",
  ")",
  '"',
  "*",
  "-",
  " ",
  " ",
  "AND",
  "OR",
  "NOT",
  "NEAR(",
  "NEAR/2",
  ",",
  "3",
  "title:",
  "feed:",
  "category:",
  "@l",
  "@missing",
  ":",
  "al-asad",
  "ﬁ",
  "𝒜",
  "\u0301",
];

test("any string of query pieces gives a result or a positioned error, never an exception", () => {
  const rng = prng(77);
  const lists = { l: ["taji", "green zone"] };
  let valid = 0;
  for (let i = 0; i < 20_000; i++) {
    const q = Array.from({ length: int(rng, 1, 14) }, () => pick(rng, PIECES)).join("");
    const r = checkQuery(q, lists);
    if (r.error) {
      expect(r.error.column).toBeGreaterThanOrEqual(1);
      expect(r.error.column).toBeLessThanOrEqual(q.length + 1);
      expect(r.error.message).toMatch(/at column \d+$/);
    } else {
      valid++;
      // What checks also compiles and can be matched.
      const { ruleSet, problems } = compileRules([{ id: "q", query: q }], lists);
      expect(problems).toEqual([]);
      ruleSet.match({
        feedId: "f",
        title: "rocket base café",
        content: "al asad",
        author: "",
        categories: [],
      });
    }
  }
  expect(valid).toBeGreaterThan(1000);
});

test("hostile nesting is refused quickly", () => {
  const started = performance.now();
  for (const q of [
    "(".repeat(3999),
    `${"NOT ".repeat(999)}a`,
    `${"-(".repeat(1000)}a`,
    `${"title:(".repeat(500)}a${")".repeat(500)}`,
    "a ".repeat(1500),
    `NEAR(${"a ".repeat(1500)})`,
  ]) {
    expect(checkQuery(q, {}).error?.message).toMatch(/too deeply|too many terms|too long/);
  }
  // A recursive-descent blow-up would hang or overflow; the bound only has to catch that.
  expect(performance.now() - started).toBeLessThan(10_000);
});
