import { describe, expect, test } from "vitest";
import { analyze } from "../../../src/rules/analyze.ts";
import { porterStem } from "../../../src/rules/porter.ts";

describe("analyze", () => {
  test("splits on anything but letters and digits and keeps offsets into the original text", () => {
    const text = "Two Katyusha-rockets hit 3 bases!";
    const tokens = analyze(text);
    expect(tokens.map((t) => t.term)).toEqual(["two", "katyusha", "rockets", "hit", "3", "bases"]);
    expect(tokens.map((t) => text.slice(t.start, t.end))).toEqual([
      "Two",
      "Katyusha",
      "rockets",
      "hit",
      "3",
      "bases",
    ]);
    expect(tokens.map((t) => t.position)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  test("folds case, accents and compatibility forms, in composed or decomposed spelling", () => {
    const terms = analyze("Zürich NAÏVE Cafe\u0301 ﬁnance ＡＢＣ Straße").map((t) => t.term);
    expect(terms).toEqual(["zurich", "naive", "cafe", "finance", "abc", "straße"]);
  });

  test("offsets still point at the written word when the folded form is shorter or longer", () => {
    const text = "le Cafe\u0301 ﬁnal";
    const [, cafe, fin] = analyze(text);
    expect(text.slice(cafe?.start, cafe?.end)).toBe("Cafe\u0301");
    expect(text.slice(fin?.start, fin?.end)).toBe("ﬁnal");
  });

  test("stems with Porter so that inflections meet, unless stemming is off", () => {
    expect(analyze("rockets attacked bases").map((t) => t.stem)).toEqual([
      "rocket",
      "attack",
      "base",
    ]);
    expect(analyze("rockets attacked", { stemming: false }).map((t) => t.stem)).toEqual([
      "rockets",
      "attacked",
    ]);
  });

  test("non-Latin scripts are words too, and lose their diacritics as well", () => {
    expect(analyze("بغداد Київ 東京").map((t) => t.term)).toEqual(["بغداد", "киів", "東京"]);
  });
});

describe("porterStem follows SQLite FTS5's porter tokenizer", () => {
  // Each pair was checked against FTS5 (fts5vocab over a porter unicode61 table).
  test.each([
    ["caresses", "caress"],
    ["ponies", "poni"],
    ["ties", "ti"],
    ["agreed", "agre"],
    ["hopping", "hop"],
    ["filing", "file"],
    ["happy", "happi"],
    ["relational", "relat"],
    ["generalization", "gener"],
    ["electrical", "electr"],
    ["adjustment", "adjust"],
    ["controlling", "control"],
    ["is", "is"],
    ["dying", "dy"],
  ])("%s -> %s", (word, stem) => {
    expect(porterStem(word)).toBe(stem);
  });
});
