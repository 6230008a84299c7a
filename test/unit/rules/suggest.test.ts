import { describe, expect, test } from "vitest";
import { checkQuery, compileRules } from "../../../src/rules/index.ts";
import { suggestQuery } from "../../../src/rules/suggest.ts";
import { prng, sentence } from "../../property/generate.ts";

const TAJI = `Two Katyusha rockets hit Taji military base north of Baghdad
BAGHDAD (Reuters) - Two Katyusha rockets struck Taji military base, north of Baghdad, on Tuesday, the Iraqi military said. A third rocket landed near the Green Zone in central Baghdad, where the U.S. embassy is located. Rocket attacks on bases hosting U.S. troops in Iraq have been frequent.`;

function matchesOwnArticle(query: string, text: string): boolean {
  const newline = text.indexOf("\n");
  const title = newline < 0 ? text : text.slice(0, newline);
  const content = newline < 0 ? "" : text.slice(newline + 1);
  const { ruleSet } = compileRules([{ id: "s", query }], {});
  return ruleSet.match({ feedId: "f", title, content, author: "", categories: [] }).length === 1;
}

describe("suggestQuery", () => {
  test("a rocket report on Taji gives what-happened AND where, with a reason per part", () => {
    const { query, reasons } = suggestQuery(TAJI);
    expect(query).toMatch(/^\(rocket\* OR [a-z]+\) AND \(.*taji.*\)$/);
    expect(query).toContain("baghdad");
    expect(
      reasons.some((r) => r.startsWith("  rocket*: a key word, 4 mentions (rocket, rockets)")),
    ).toBe(true);
    expect(reasons.some((r) => r.includes("taji: capitalised (a name or place)"))).toBe(true);
  });

  test("the suggestion passes checkQuery and matches the article it came from", () => {
    const { query } = suggestQuery(TAJI);
    expect(checkQuery(query, {})).toEqual({ warnings: [] });
    expect(matchesOwnArticle(query, TAJI)).toBe(true);
  });

  test("names with particles become one phrase", () => {
    const { query } = suggestQuery(
      "Drone strike on Ain al-Asad\nA drone struck Ain al-Asad air base in Anbar. Drones hit it before.",
    );
    expect(query).toContain('"ain al asad"');
    expect(
      matchesOwnArticle(
        query,
        "Drone strike on Ain al-Asad\nA drone struck Ain al-Asad air base in Anbar. Drones hit it before.",
      ),
    ).toBe(true);
  });

  test("any article gives a valid query that matches it", () => {
    const rng = prng(5);
    for (let i = 0; i < 200; i++) {
      const text = `${sentence(rng, 3, 9)}\n${sentence(rng, 10, 60)}`;
      const { query } = suggestQuery(text);
      expect(checkQuery(query, {}).error).toBeUndefined();
      expect(matchesOwnArticle(query, text)).toBe(true);
    }
  });

  test("a text without key words says so instead of proposing an empty query", () => {
    expect(suggestQuery("The and of\nit is to be").query).toBe("");
  });
});
