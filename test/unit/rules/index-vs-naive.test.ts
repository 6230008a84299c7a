import { expect, test } from "vitest";
import { compileRules, type MatchDocument } from "../../../src/rules/index.ts";
import { int, pick, prng, randomDocs, randomQuery, sentence } from "../../property/generate.ts";

const FEEDS = ["reuters-world", "ap-top", "bbc"];

test("the index finds exactly the rules that evaluating every rule finds", () => {
  const rng = prng(20261126);
  const rules = Array.from({ length: 400 }, (_, i) => {
    let query = randomQuery(rng, { prefixes: true, fields: true });
    const r = rng();
    if (r < 0.1) query = `feed:${pick(rng, FEEDS)} ${query}`;
    else if (r < 0.2) query = `${query} author:${pick(rng, ["smith", "jones"])}`;
    else if (r < 0.3) query = `(${query} OR category:iraq*)`;
    else if (r < 0.35) query = `${query} @places`;
    return { id: `r${i}`, query, stemming: rng() < 0.8 };
  });
  const lists = { places: ["taji", "green zone", "basr*"] };
  const { ruleSet, problems } = compileRules(rules, lists);
  expect(problems).toEqual([]);
  const docs: MatchDocument[] = randomDocs(rng, 300).map((d) => ({
    ...d,
    feedId: pick(rng, FEEDS),
    author: pick(rng, ["Ann Smith", "Bob Jones", ""]),
    categories: Array.from({ length: int(rng, 0, 2) }, () =>
      pick(rng, ["Iraq", "Iraqi politics", sentence(rng, 1, 2)]),
    ),
  }));
  let total = 0;
  for (const d of docs) {
    const viaIndex = ruleSet.match(d);
    const naive = ruleSet.matchNaive(d);
    expect(viaIndex).toEqual(naive);
    total += naive.length;
  }
  // The comparison means something only if rules do match, and not all of them everywhere.
  expect(total).toBeGreaterThan(docs.length);
  expect(total).toBeLessThan(docs.length * rules.length * 0.5);
  expect(ruleSet.stats.alwaysVerify).toBeLessThan(rules.length * 0.05);
});
