import { describe, expect, test } from "vitest";
import { buildSnippet, compileRules, type MatchDocument } from "../../../src/rules/index.ts";

const doc = (title: string, content = "", extra: Partial<MatchDocument> = {}): MatchDocument => ({
  feedId: "reuters-world",
  title,
  content,
  author: "",
  categories: [],
  ...extra,
});

function matches(
  query: string,
  d: MatchDocument,
  opts: { stemming?: boolean; lists?: Record<string, string[]> } = {},
) {
  const { ruleSet, problems } = compileRules(
    [{ id: "r", query, stemming: opts.stemming }],
    opts.lists ?? {},
  );
  expect(problems).toEqual([]);
  return ruleSet.match(d).length === 1;
}

const SAMPLE =
  '(katyusha OR rocket OR rockets OR drone) AND (base OR "green zone" OR airport) AND (iraq OR baghdad OR taji)';

describe("folding outside Latin script agrees with FTS5", () => {
  test.each([
    ["мои", "мой дом", false],
    ["мой", "Мой дом", true],
    ["иемен", "Ракета упала в Йемене", false],
    ["йемен*", "Ракета упала в Йемене", true],
    ["киів", "Обстріл Києва: Київ без світла", false],
    ["αθηνα", "Σεισμός στην Αθήνα", false],
    ["αθήνα", "ΣΕΙΣΜΟΣ ΣΤΗΝ ΑΘΗΝΑ", false],
    ["αθήνα", "Σεισμός στην Αθήνα", true],
    ["zurich", "Explosion in Zürich", true],
  ])("%s in %s: %s", (query, title, expected) => {
    expect(matches(query, doc(title))).toBe(expected);
  });
});

describe("the sample watchlist", () => {
  test("matches the Taji report", () => {
    expect(
      matches(SAMPLE, doc("Two Katyusha rockets hit Taji military base north of Baghdad")),
    ).toBe(true);
  });

  test.each([
    ["no weapon", "Sandstorm hits Taji military base north of Baghdad"],
    ["no place", "Two Katyusha rockets hit a military base"],
    ["no target", "Two Katyusha rockets fired north of Baghdad"],
    ["zone without green", "Rockets land in the zone near Baghdad"],
    ["green and zone apart", "Rockets land in a green park; no-fly zone over Baghdad"],
  ])("does not match a near miss: %s", (_, title) => {
    expect(matches(SAMPLE, doc(title))).toBe(false);
  });

  test("explains every matched term with its field and offsets", () => {
    const title = "Two Katyusha rockets hit Taji military base north of Baghdad";
    const { ruleSet } = compileRules([{ id: "iraq", query: SAMPLE }], {});
    const [m] = ruleSet.match(doc(title, "The rockets struck the green zone."));
    expect(m?.ruleId).toBe("iraq");
    const seen = m?.matched.map((x) => `${x.field}:${x.term}=${x.text}`);
    expect(seen).toEqual([
      "title:katyusha=Katyusha",
      "title:rocket=rockets",
      "title:rockets=rockets",
      "title:taji=Taji",
      "title:base=base",
      "title:baghdad=Baghdad",
      "content:rocket=rockets",
      "content:rockets=rockets",
      'content:"green zone"=green zone',
    ]);
    for (const x of m?.matched ?? []) {
      const text = x.field === "title" ? title : "The rockets struck the green zone.";
      expect(text.slice(x.start, x.end)).toBe(x.text);
    }
  });
});

describe("language semantics", () => {
  test("stemming makes inflections meet; stemming:false matches words as written", () => {
    expect(matches("attacked", doc("Militants attack convoy"))).toBe(true);
    expect(matches("attacked", doc("Militants attack convoy"), { stemming: false })).toBe(false);
    expect(matches("Attack", doc("militants ATTACK convoy"), { stemming: false })).toBe(true);
  });

  test("prefix terms match words as written, not stems", () => {
    expect(matches("bas*", doc("Basra and the base"))).toBe(true);
    expect(matches("bas*", doc("Baghdad"))).toBe(false);
    expect(matches("rocket*", doc("Rocketry club"))).toBe(true);
  });

  test("a phrase may end in a prefix, written either way", () => {
    expect(matches('"baghdad air*"', doc("Baghdad Airport closed"))).toBe(true);
    expect(matches('"baghdad air"*', doc("Baghdad airspace closed"))).toBe(true);
    expect(matches('"baghdad air*"', doc("Baghdad closed its airport"))).toBe(false);
  });

  test("phrases need the words in order and adjacent", () => {
    expect(matches('"green zone"', doc("Shells hit the Green Zone"))).toBe(true);
    expect(matches('"green zone"', doc("zone green"))).toBe(false);
    expect(matches('"green zone"', doc("green", "zone"))).toBe(false);
  });

  test("NOT and minus exclude", () => {
    expect(matches("rocket -drill", doc("Rocket fired"))).toBe(true);
    expect(matches("rocket -drill", doc("Rocket drill held"))).toBe(false);
    expect(matches('rocket NOT "live fire"', doc("Rocket live fire exercise"))).toBe(false);
    expect(matches('rocket -"live fire"', doc("Rocket fire was live"))).toBe(true);
  });

  test("precedence is NOT > AND > OR", () => {
    expect(matches("a OR b c", doc("a"))).toBe(true);
    expect(matches("a OR b c", doc("b"))).toBe(false);
    expect(matches("a OR b AND c", doc("b c"))).toBe(true);
  });

  test("NEAR counts the tokens between the terms, in either order", () => {
    const q = "NEAR(rocket base, 2)";
    expect(matches(q, doc("rocket hit the base"))).toBe(true);
    expect(matches(q, doc("base was hit by a rocket"))).toBe(false);
    expect(matches(q, doc("base hit by rocket"))).toBe(true);
    expect(matches("rocket NEAR/0 base", doc("rocket base"))).toBe(true);
    expect(matches("rocket NEAR/0 base", doc("rocket at base"))).toBe(false);
    expect(matches("NEAR(rocket base)", doc(`rocket ${"x ".repeat(10)}base`))).toBe(true);
    expect(matches("NEAR(rocket base)", doc(`rocket ${"x ".repeat(11)}base`))).toBe(false);
  });

  test("NEAR with a phrase counts from the phrase's end", () => {
    expect(matches('NEAR("green zone" shelled, 1)', doc("green zone was shelled"))).toBe(true);
    expect(matches('NEAR("green zone" shelled, 1)', doc("shelled near the green zone"))).toBe(
      false,
    );
  });

  test("field scopes restrict where a term may match", () => {
    const d = doc("Markets calm", "A rocket hit the base", {
      author: "Jane Smith",
      categories: ["Middle East", "Iraq"],
    });
    expect(matches("title:rocket", d)).toBe(false);
    expect(matches("content:rocket", d)).toBe(true);
    expect(matches("title:(markets OR rocket*)", d)).toBe(true);
    expect(matches("author:smith", d)).toBe(true);
    expect(matches("smith", d)).toBe(false);
    expect(matches('category:"middle east"', d)).toBe(true);
    // Each category is its own value: a phrase cannot run from one into the next.
    expect(matches('category:"east iraq"', d)).toBe(false);
    expect(matches("feed:reuters-world rocket", d)).toBe(true);
    expect(matches("feed:REUTERS-WORLD rocket", d)).toBe(true);
    expect(matches("feed:reuters rocket", d)).toBe(false);
    expect(matches("feed:reuters* rocket", d)).toBe(true);
  });

  test("@lists expand to any of their entries, phrases included", () => {
    const lists = { iraq_bases: ["taji", "ain al-asad", "green zone", "balad"] };
    expect(matches("rocket @iraq_bases", doc("Rockets hit Ain al-Asad"), { lists })).toBe(true);
    expect(matches("rocket @iraq_bases", doc("Rockets hit the zone"), { lists })).toBe(false);
  });

  test("invalid rules are reported and left out, the rest still match", () => {
    const { ruleSet, problems } = compileRules(
      [
        { id: "ok", query: "rocket" },
        { id: "bad", query: "(rocket" },
        { id: "neg", query: "NOT rocket" },
      ],
      {},
    );
    expect(ruleSet.size).toBe(1);
    expect(problems.map((p) => [p.ruleId, p.index, p.column])).toEqual([
      ["bad", 1, 8],
      ["neg", 2, 1],
    ]);
    expect(ruleSet.match(doc("rocket")).map((m) => m.ruleId)).toEqual(["ok"]);
  });
});

describe("buildSnippet", () => {
  test("centres on the first content hit and marks every hit in the window", () => {
    const content = `${"Filler words before. ".repeat(30)}Two rockets hit the base at dawn. ${"More words after. ".repeat(30)}`;
    const d = doc("Title", content);
    const { ruleSet } = compileRules([{ id: "r", query: "rocket base" }], {});
    const [m] = ruleSet.match(d);
    const snippet = buildSnippet(d, m?.matched ?? [], 120);
    const text = snippet.map((s) => s.text).join("");
    expect(text.startsWith("…")).toBe(true);
    expect(text.endsWith("…")).toBe(true);
    expect(text.length).toBeLessThanOrEqual(124);
    expect(snippet.filter((s) => s.hit).map((s) => s.text)).toEqual(["rockets", "base"]);
  });

  test("falls back to the title when nothing matched in the content", () => {
    const d = doc("Rocket strike reported", "No details yet.");
    const { ruleSet } = compileRules([{ id: "r", query: "rocket" }], {});
    const [m] = ruleSet.match(d);
    expect(buildSnippet(d, m?.matched ?? [])).toEqual([
      { text: "Rocket", hit: true },
      { text: " strike reported", hit: false },
    ]);
  });

  test("a match only in the author, a category or the feed shows that field, highlighted", () => {
    const d = doc("Markets steady after the vote", "Stocks were flat.", {
      author: "By Jane Doe, Baghdad",
      categories: ["World", "Iraq war"],
    });
    const { ruleSet } = compileRules(
      [{ id: "r", query: 'author:"jane doe" category:iraq feed:reuters-world' }],
      {},
    );
    const [m] = ruleSet.match(d);
    const snippet = buildSnippet(d, m?.matched ?? []);
    expect(snippet.map((s) => (s.hit ? `«${s.text}»` : s.text)).join("")).toBe(
      "Markets steady after the vote · author: By «Jane Doe», Baghdad · category: «Iraq» war · feed: «reuters-world»",
    );
  });

  test("a long author is cut around the hit, and a content hit needs no other field", () => {
    const author = `${"Staff and agencies, ".repeat(20)}Jane Doe${", with reporting".repeat(20)}`;
    const d = doc("", "", { author });
    const { ruleSet } = compileRules([{ id: "r", query: "author:jane" }], {});
    const [m] = ruleSet.match(d);
    const text = buildSnippet(d, m?.matched ?? [])
      .map((s) => (s.hit ? `«${s.text}»` : s.text))
      .join("");
    expect(text).toMatch(/^author: ….*«Jane» Doe.*…$/);
    expect(text.length).toBeLessThan(110);

    const both = doc("Rockets hit base", "Jane Doe saw rockets.", { author: "Jane Doe" });
    const { ruleSet: r2 } = compileRules([{ id: "r", query: "rocket author:jane" }], {});
    const [m2] = r2.match(both);
    expect(
      buildSnippet(both, m2?.matched ?? [])
        .map((s) => s.text)
        .join(""),
    ).toBe("Jane Doe saw rockets.");
  });
});

describe("word caches and long-running use", () => {
  test("rules compiled before the word caches are reset still match afterwards", async () => {
    const { resetWordCaches } = await import("../../../src/rules/analyze.ts");
    const d = doc("Zorblax drones struck Quuxville", "");
    const { ruleSet } = compileRules(
      [
        { id: "stemmed", query: "zorblax drone" },
        { id: "exact", query: "Quuxville", stemming: false },
        { id: "prefix", query: "zorbl* quux*" },
      ],
      {},
    );
    expect(ruleSet.match(d).map((m) => m.ruleId)).toEqual(["stemmed", "exact", "prefix"]);
    resetWordCaches();
    expect(ruleSet.match(d).map((m) => m.ruleId)).toEqual(["stemmed", "exact", "prefix"]);
    // A rule compiled after the reset meets the same words through the same marks.
    const later = compileRules([{ id: "later", query: "struck quuxville" }], {}).ruleSet;
    resetWordCaches();
    expect(later.match(d).map((m) => m.ruleId)).toEqual(["later"]);
    expect(ruleSet.match(d)).toHaveLength(3);
  });
});
