import { expect, test } from "vitest";
import { looksLikeBurst } from "../../../src/pipeline/burst.ts";

const now = Date.parse("2026-12-03T12:00:00Z");
const habit = new Map([
  ["2026-11-30", 40],
  ["2026-12-01", 25],
  ["2026-12-02", 31],
]);

test("a fetch ten times the busiest recent day is a burst; a busy news day is not", () => {
  expect(looksLikeBurst(50_000, habit, now)).toBe(true);
  expect(looksLikeBurst(401, habit, now)).toBe(true);
  expect(looksLikeBurst(399, habit, now)).toBe(false);
});

test("small fetches, young feeds and today's own count never make a burst", () => {
  expect(
    looksLikeBurst(
      99,
      new Map([
        ["2026-11-30", 1],
        ["2026-12-01", 1],
        ["2026-12-02", 1],
      ]),
      now,
    ),
  ).toBe(false);
  expect(looksLikeBurst(5_000, new Map([["2026-12-02", 3]]), now)).toBe(false);
  expect(looksLikeBurst(1_000, new Map([...habit, ["2026-12-03", 900]]), now)).toBe(true);
});
