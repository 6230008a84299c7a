import { describe, expect, test } from "vitest";
import { analyze } from "../../../src/rules/analyze.ts";
import { light10 } from "../../../src/rules/arabic.ts";
import { buildSnippet, compileRules, type MatchDocument } from "../../../src/rules/index.ts";
import { doc } from "../../helpers/match-doc.ts";

/** The ids of the rules (id: query) that match the item, in order. */
function matching(
  queries: Record<string, string>,
  d: MatchDocument,
  stemming = true,
): { ids: string[]; texts: string[] } {
  const specs = Object.entries(queries).map(([id, query]) => ({ id, query, stemming }));
  const { ruleSet, problems } = compileRules(specs, {});
  expect(problems).toEqual([]);
  const found = ruleSet.match(d);
  return {
    ids: found.map((m) => m.ruleId),
    texts: found.flatMap((m) => m.matched.map((t) => t.text)),
  };
}

describe("Arabic normalisation", () => {
  test("hamza forms of alef, ta marbuta, alef maqsura, tatweel and harakat are read one way", () => {
    const terms = analyze("أربيل إسرائيل آمنة ٱلله قاعدة مصطفى جـيـش مُحَمَّد").map((t) => t.term);
    expect(terms).toEqual(["اربيل", "اسرائيل", "امنه", "الله", "قاعده", "مصطفي", "جيش", "محمد"]);
  });

  test("Arabic-Indic digits are digits: 2024 finds ٢٠٢٤ and ۲۰۲۴", () => {
    expect(analyze("٢٠٢٤ ۲۰۲۴").map((t) => t.term)).toEqual(["2024", "2024"]);
    expect(matching({ year: "2024" }, doc("هجوم ٢٠٢٤")).ids).toEqual(["year"]);
  });

  test("Persian keyboard forms of ya and kaf find the Arabic letters", () => {
    expect(analyze("کرکوک علی").map((t) => t.term)).toEqual(["كركوك", "علي"]);
  });

  test("offsets point at the word as written, marks and tatweel included", () => {
    const text = "قصفٌ على قـاعـدةِ التاجي";
    expect(analyze(text).map((t) => text.slice(t.start, t.end))).toEqual([
      "قصفٌ",
      "على",
      "قـاعـدةِ",
      "التاجي",
    ]);
  });
});

describe("Light10 stemming", () => {
  test.each([
    ["صاروخان", "صاروخ"], // dual
    ["التاجي", "تاج"], // article, then the nisba ending
    ["تاجي", "تاج"],
    ["والتاجي", "تاج"], // "and", then the article
    ["بالقاعده", "قاعد"],
    ["للجيش", "جيش"],
    ["عراقيين", "عراق"], // ين, then ي: suffixes are tried in turn
    ["العراقيه", "عراق"],
    ["طائرات", "طائر"],
    ["مسيرتها", "مسيرت"],
    ["وطن", "وطن"], // و stays unless 3 letters remain
    ["الم", "الم"], // an article stays unless 2 letters remain
    ["بان", "بان"], // a suffix stays unless 2 letters remain
    ["صواريخ", "صواريخ"], // broken plurals are left alone
  ])("%s → %s", (word, stem) => {
    expect(light10(word)).toBe(stem);
  });

  test("the analyser is chosen per word by its letters: Porter for Latin, Light10 for Arabic", () => {
    expect(analyze("rockets hit القاعدة bases").map((t) => t.stem)).toEqual([
      "rocket",
      "hit",
      "قاعد",
      "base",
    ]);
  });
});

describe("matching Arabic", () => {
  const item = doc(
    "سقوط صاروخين على قاعدة التاجي",
    "أفاد مصدر أمني بأن صاروخان من نوع كاتيوشا سقطا داخل القاعدة شمال بغداد، وأن مطار اربيل لم يتأثر.",
  );

  test("a word finds its inflections and spellings: صاروخ, تاجي, أربيل", () => {
    expect(
      matching({ rocket: "صاروخ", taji: "تاجي", erbil: "أربيل", base: "قاعدة" }, item).ids,
    ).toEqual(["rocket", "taji", "erbil", "base"]);
  });

  test("التاجي finds تاجي, and a phrase matches across the spelling", () => {
    const d = doc("قصف قاعدة تاجي");
    expect(matching({ taji: "التاجي", phrase: '"قاعدة التاجي"' }, d).ids).toEqual([
      "taji",
      "phrase",
    ]);
  });

  test("phrases and NEAR count Arabic words", () => {
    const found = matching(
      {
        adjacent: '"صاروخ كاتيوشا"',
        near: "NEAR(صاروخ بغداد, 8)",
        tooFar: "NEAR(صاروخ بغداد, 2)",
        wrongOrder: '"بغداد شمال"',
      },
      item,
    );
    expect(found.ids).toEqual(["near"]);
    expect(matching({ adjacent: '"صاروخ كاتيوشا"' }, doc("", "صاروخان كاتيوشا")).ids).toEqual([
      "adjacent",
    ]);
  });

  test("prefix queries match the normalised word as written", () => {
    const found = matching({ prefix: "صارو*", hamza: "أرب*", article: "القا*" }, item);
    expect(found.ids).toEqual(["prefix", "hamza", "article"]);
    expect(matching({ notStem: "القاعده*" }, doc("قاعدة")).ids).toEqual([]);
  });

  test("stemming: false keeps the normalisation and drops the affix stripping", () => {
    const found = matching({ erbil: "أربيل", rocket: "صاروخ", base: "قاعدة" }, item, false);
    expect(found.ids).toEqual(["erbil", "base"]);
  });

  test("a highlight covers the characters as written, marks and tatweel included", () => {
    const d = doc("قصفٌ على قـاعـدةِ التّاجي", "");
    const { ruleSet } = compileRules([{ id: "q", query: '"قاعدة تاجي" OR قصف' }], {});
    const [m] = ruleSet.match(d);
    const hits = buildSnippet(d, m?.matched ?? [])
      .filter((s) => s.hit)
      .map((s) => s.text);
    expect(hits).toEqual(["قصفٌ", "قـاعـدةِ التّاجي"]);
  });
});
