import { describe, expect, test } from "vitest";
import { checkQuery, LIMITS } from "../../../src/rules/index.ts";

const lists = { iraq_bases: ["taji", "ain al-asad", "green zone"] };
const errorOf = (q: string) => checkQuery(q, lists).error;

describe("checkQuery", () => {
  test("accepts the whole language", () => {
    const q =
      '(katyusha OR rocket*) AND title:(base OR "green zone") -drill NOT "training exercise" ' +
      "NEAR(drone attack, 5) strike NEAR/3 convoy @iraq_bases author:smith category:iraq feed:reuters-world";
    expect(checkQuery(q, lists)).toEqual({ warnings: [] });
  });

  test("an unclosed parenthesis names the column where ')' was expected", () => {
    expect(errorOf("(rocket OR drone AND base")).toEqual({
      message: "expected ')' at column 26",
      column: 26,
    });
  });

  test("an unknown list is named with its column", () => {
    expect(errorOf("rocket @iraq_base")).toEqual({
      message: "unknown list @iraq_base (did you mean @iraq_bases?) at column 8",
      column: 8,
    });
  });

  test("a stray closing parenthesis, a dangling operator and an unknown field are errors", () => {
    expect(errorOf("rocket)")?.message).toBe("unbalanced parenthesis: unexpected ')' at column 7");
    expect(errorOf("rocket AND")?.message).toBe("expected a term at column 11");
    expect(errorOf("OR rocket")?.message).toBe("expected a term, found 'OR' at column 1");
    expect(errorOf("titel:rocket")?.column).toBe(1);
    expect(errorOf('"green zone')?.message).toContain("unterminated phrase");
    expect(errorOf("NEAR(rocket)")?.message).toBe("NEAR needs at least two terms at column 1");
  });

  test("queries that can match only by absence are refused", () => {
    expect(errorOf("NOT drill")?.message).toContain("only by what is absent");
    expect(errorOf("-drill -exercise")?.message).toContain("only by what is absent");
    expect(errorOf("rocket OR -drill")?.message).toContain("only by what is absent");
    expect(errorOf("rocket (base OR -drill)")?.message).toContain("each OR alternative");
    expect(errorOf("rocket -drill")).toBeUndefined();
  });

  test("mixing OR with implicit AND warns and shows how the query is read", () => {
    expect(checkQuery("rocket drone OR base", {}).warnings).toEqual([
      "mixes OR with implicit AND without parentheses; read as: (rocket drone) OR base",
    ]);
    expect(checkQuery("(rocket drone) OR base", {}).warnings).toEqual([]);
    expect(checkQuery("rocket AND drone OR base", {}).warnings).toEqual([]);
  });

  test("limits give a clear error instead of a stack overflow or a hang", () => {
    const deep = `${"(".repeat(5000)}rocket${")".repeat(5000)}`;
    expect(errorOf(deep)?.message).toContain("too long");
    const nested = `${"(".repeat(100)}rocket${")".repeat(100)}`;
    expect(errorOf(nested)?.message).toContain("nested too deeply");
    const nots = `rocket ${"NOT ".repeat(200)}drill`;
    expect(errorOf(nots)?.message).toContain("nested too deeply");
    const many = Array.from({ length: LIMITS.maxTerms + 1 }, (_, i) => `w${i}`).join(" ");
    expect(many.length).toBeLessThan(LIMITS.maxLength + 5000);
    const big = { big: Array.from({ length: LIMITS.maxTerms + 1 }, (_, i) => `w${i}`) };
    expect(checkQuery("@big", big).error?.message).toContain("too many terms");
  });

  test("a term with no letters or digits is an error, not a match-everything", () => {
    expect(errorOf("rocket ***")?.message).toContain("'*' is allowed only at the end");
    expect(errorOf('rocket "!!"')?.message).toContain("no letters or digits");
  });
});
