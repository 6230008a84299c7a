import { describe, expect, test } from "vitest";
import { analyze, foldWord } from "../../../src/rules/analyze.ts";
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

  test("non-Latin scripts are words too, and keep their letters with diacritics, as in FTS5", () => {
    // remove_diacritics 2 folds Latin letters only: й, ї, ё and Greek accents are letters.
    expect(analyze("بغداد Київ Йемен Ёлка Αθήνα 東京").map((t) => t.term)).toEqual([
      "بغداد",
      "київ",
      "йемен",
      "ёлка",
      "αθήνα",
      "東京",
    ]);
    // Written decomposed, they are the same letters; a stress accent that forms no letter goes.
    expect(analyze("И\u0306емен молоко\u0301").map((t) => t.term)).toEqual(["йемен", "молоко"]);
  });

  test("Greek final sigma folds like any sigma, so a capitalised headline meets the text", () => {
    expect(analyze("ΑΘΗΝΑΣ Αθήνας").map((t) => t.term)).toEqual(["αθηνασ", "αθήνασ"]);
  });

  test("vowel signs of Arabic, Hebrew and Indic scripts never split a word", () => {
    // Arabic and Hebrew vowel points are optional in writing and dropped; Indic ones are the word.
    expect(analyze("كَتَبَ שָׁלוֹם हिन्दी").map((t) => t.term)).toEqual(["كتب", "שלום", "हिन्दी"]);
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

describe("the word caches", () => {
  test("every token gets its own word back, across many distinct words, cases and scripts", () => {
    let seed = 3;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    const alphabet = ["a", "b", "e", "k", "o", "s", "t", "É", "ß", "ж", "𝒜", "𝒞", "東", "1"];
    const words = Array.from({ length: 30_000 }, () => {
      let w = "";
      for (let n = 1 + (next() % 7); n > 0; n--) w += alphabet[next() % alphabet.length];
      return w;
    });
    // Twice, so that the second pass is served from the caches.
    for (let pass = 0; pass < 2; pass++) {
      const text = words.join(" ");
      const tokens = analyze(text);
      expect(tokens).toHaveLength(words.length);
      tokens.forEach((t, i) => {
        expect(text.slice(t.start, t.end)).toBe(words[i]);
        expect(t.term).toBe(foldWord(words[i] as string));
      });
    }
  });
});
