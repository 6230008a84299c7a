import { describe, expect, test } from "vitest";
import { resetWordCaches } from "../../../src/rules/analyze.ts";
import { analyzeDocument } from "../../../src/rules/document.ts";
import { compileRules } from "../../../src/rules/index.ts";
import { doc } from "../../helpers/match-doc.ts";

const words = (prefix: string, n: number): string =>
  Array.from({ length: n }, (_, i) => `${prefix}${i.toString(36)}`).join(" ");

describe("words as ids on the matching path", () => {
  test("an analysed item keeps its words and offsets while thousands of later items are analysed", () => {
    const kept = analyzeDocument(doc("Rockets hit Taji", "Two rockets struck the base at dawn."));
    // Enough later items to fill several of the slabs field arrays are carved from.
    for (let i = 0; i < 5000; i++) analyzeDocument(doc(words(`t${i}x`, 10), words(`c${i}y`, 60)));
    const content = kept.fields[1];
    expect(content?.count).toBe(7);
    expect(content?.span("rocket", 1, 1)).toEqual({
      field: "content",
      term: "rocket",
      text: "rockets",
      start: 4,
      end: 11,
    });
    const { ruleSet } = compileRules([{ id: "r", query: '"struck the base"' }], {});
    expect(ruleSet.match(kept.doc).map((m) => m.matched[0]?.text)).toEqual(["struck the base"]);
  });

  test("a word that takes over the id of a forgotten word is looked up in the index afresh", () => {
    const { ruleSet } = compileRules([{ id: "r", query: "zorblaxite" }], {});
    // The index remembers, per word id, that these words have no rules.
    expect(ruleSet.match(doc(words("forgot", 200)))).toEqual([]);
    // Forgetting them frees their ids; the next item's new words reuse them.
    resetWordCaches();
    expect(ruleSet.match(doc("an item in between"))).toEqual([]);
    const found = ruleSet.match(doc(`zorblaxites ${words("fresh", 50)}`));
    expect(found.map((m) => m.ruleId)).toEqual(["r"]);
    expect(found[0]?.matched.map((t) => t.text)).toEqual(["zorblaxites"]);
  });

  test("every occurrence of a matched word is explained, across title and content, in order", () => {
    const { ruleSet } = compileRules(
      [
        { id: "r", query: "(qux NEAR/2 quux) OR rocket" },
        { id: "t", query: "title:rocket*" },
      ],
      {},
    );
    const [r, t] = ruleSet.match(doc("Rocket fire", "rockets, then a rocket; ROCKETRY"));
    expect(r?.matched.map((m) => `${m.field}:${m.text}@${m.start}`)).toEqual([
      "title:Rocket@0",
      "content:rockets@0",
      "content:rocket@16",
    ]);
    expect(t?.matched.map((m) => `${m.field}:${m.text}`)).toEqual(["title:Rocket"]);
  });
});
