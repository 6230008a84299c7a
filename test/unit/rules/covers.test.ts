import { expect, test } from "vitest";
import { analyzeDocument, markPresent } from "../../../src/rules/document.ts";
import { compileRules, type MatchDocument } from "../../../src/rules/index.ts";

const doc = (title: string): MatchDocument => ({
  feedId: "f",
  title,
  content: "",
  author: "",
  categories: [],
});

test("the index files a rule under the word that is rarer in the items seen so far", () => {
  const query = "zebrawordlong quokka";
  const onlyCommon = analyzeDocument(doc("zebrawordlong again"));

  // Before any statistics, the longer word looks rarer: the rule is filed under it.
  const cold = compileRules([{ id: "r", query }], {}).ruleSet;
  expect(cold.candidates(onlyCommon)).toEqual([0]);

  // A thousand items later, that word turned out to be in every item and "quokka" in none.
  for (let i = 0; i < 1000; i++) markPresent(analyzeDocument(doc(`zebrawordlong item ${i}`)));
  const warm = compileRules([{ id: "r", query }], {}).ruleSet;
  expect(warm.candidates(analyzeDocument(doc("zebrawordlong again")))).toEqual([]);
  expect(warm.match(doc("a quokka and zebrawordlong")).map((m) => m.ruleId)).toEqual(["r"]);
});
