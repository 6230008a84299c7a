import { expect, test } from "vitest";
import { shippedListEntries } from "../../../src/config/shipped-lists.ts";
import { compileRules } from "../../../src/rules/index.ts";
import { doc } from "../../helpers/match-doc.ts";
import { pick, prng, randomDocs, randomQuery } from "../../property/generate.ts";

test("rules naming the shipped lists match and explain as evaluating every entry does", () => {
  const lists = shippedListEntries();
  const rng = prng(20261203);
  const names = ["indirect_fire", "drones", "military_sites", "coalition", "iraq_sites"];
  const rules = Array.from({ length: 200 }, (_, i) => {
    const a = pick(rng, names);
    const b = pick(rng, [...names, "iraq_places"]);
    const shape = i % 4;
    const query =
      shape === 0
        ? `@${a} AND @${b}`
        : shape === 1
          ? `title:@${a} (${randomQuery(rng, { prefixes: false, fields: false })} OR @${b})`
          : shape === 2
            ? `NEAR(@${a} @${b}, 6)`
            : `@${a} -@${b}`;
    return { id: `r${i}`, query, stemming: rng() < 0.8 };
  });
  const { ruleSet, problems } = compileRules(rules, lists);
  expect(problems).toEqual([]);
  const texts = [
    doc(
      "Two Katyusha rockets hit Camp Taji north of Baghdad",
      "The coalition said no one was hurt.",
    ),
    doc("Drone attack on Erbil international airport", "A US-led coalition hangar was damaged."),
    doc("سقوط صواريخ كاتيوشا على معسكر التاجي", "قوات التحالف الدولي في قاعدة عين الأسد"),
    doc("Mortar rounds land near the US embassy in the Green Zone"),
    ...randomDocs(rng, 100).map((d) => ({ ...d, feedId: "f", author: "", categories: [] })),
  ];
  let total = 0;
  for (const d of texts) {
    const viaIndex = ruleSet.match(d);
    expect(viaIndex).toEqual(ruleSet.matchNaive(d));
    total += viaIndex.length;
  }
  expect(total).toBeGreaterThan(20);
});

test("a thousand rules naming a list of 600 entries share it: one index key per rule at most", () => {
  const big = Array.from({ length: 600 }, (_, i) => (i % 5 === 0 ? `town${i} centre` : `town${i}`));
  const rules = Array.from({ length: 1000 }, (_, i) => ({
    id: `r${i}`,
    query: `@towns AND (flood OR storm${i % 7})`,
  }));
  const { ruleSet, problems } = compileRules(rules, { towns: big });
  expect(problems).toEqual([]);
  // Expanded per rule, each rule would be filed under hundreds of keys; shared, the list is
  // one key and the rules' own words the others.
  expect(ruleSet.stats.keys).toBeLessThan(20);
  const hits = ruleSet.match(doc("Storm3 floods town40 centre", "town401 is cut off"));
  expect(hits.map((h) => h.ruleId)).toContain("r3");
  expect(hits.find((h) => h.ruleId === "r3")?.matched.map((m) => m.text)).toEqual([
    "Storm3",
    "floods",
    "town40 centre",
    "town401",
  ]);
});

test("a query of several big lists is not refused for its entries: a list counts as one term", () => {
  const entries = (p: string) => Array.from({ length: 800 }, (_, i) => `${p}${i}`);
  const lists = { towns: entries("town"), rivers: entries("river") };
  expect(compileRules([{ id: "both", query: "@towns AND @rivers" }], lists).problems).toEqual([]);
});
