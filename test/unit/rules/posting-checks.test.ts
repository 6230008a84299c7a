import { expect, test } from "vitest";
import { compileRules, type MatchDocument } from "../../../src/rules/index.ts";
import { doc } from "../../helpers/match-doc.ts";

// A rule filed under its words is checked, while the index is read, against its prefix or its
// list: the check must hold whichever of the item's words, in whichever field, comes first.
test("rules checked by a prefix or a list match wherever in the item the prefix or entry is", () => {
  const rules = [
    { id: "prefix", query: "bomb* AND (zeta OR yota)" },
    { id: "list", query: "@places AND zeta" },
    { id: "both", query: "bomb* AND @places AND yota" },
  ];
  const lists = { places: ["taji", "green zone", "basr*"] };
  const { ruleSet, problems } = compileRules(rules, lists);
  expect(problems).toEqual([]);
  const ids = (d: MatchDocument) => ruleSet.match(d).map((m) => m.ruleId);
  const cases: [MatchDocument, string[]][] = [
    [doc("zeta and yota", "bombing near taji"), ["prefix", "list", "both"]],
    [doc("bombing near taji", "zeta and yota"), ["prefix", "list", "both"]],
    [doc("Zeta bombers, Basra", ""), ["prefix", "list"]],
    [doc("", "the green zone, then yota, then bombs"), ["prefix", "both"]],
    [doc("zeta yota", "green fields, a zone"), []],
    [doc("bomb taji", "nothing else"), []],
  ];
  for (const [d, expected] of cases) {
    expect(ids(d)).toEqual(expected);
    expect(ruleSet.match(d)).toEqual(ruleSet.matchNaive(d));
  }
});
