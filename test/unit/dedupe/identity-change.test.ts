import { describe, expect, test } from "vitest";
import { looksLikeIdentityChange } from "../../../src/dedupe/identity-change.ts";

const LAST_POLL = Date.parse("2026-11-26T10:00:00Z");
const established = { itemsSeen: 120, lastSuccessAt: LAST_POLL };
const dated = (hoursFromLastPoll: number[]) =>
  hoursFromLastPoll.map((h) => ({ published: new Date(LAST_POLL + h * 3_600_000).toISOString() }));

describe("mass identity change", () => {
  test("twenty old items suddenly new on an established feed is an identity change", () => {
    expect(
      looksLikeIdentityChange(dated(Array.from({ length: 20 }, (_, i) => -2 - i)), 20, established),
    ).toBe(true);
  });

  test("a burst of twenty fresh items is news, not an identity change", () => {
    expect(
      looksLikeIdentityChange(dated(Array.from({ length: 20 }, (_, i) => i / 10)), 20, established),
    ).toBe(false);
  });

  test("a few new items among many known ones are ordinary", () => {
    expect(looksLikeIdentityChange(dated([-5, -6, -7]), 30, established)).toBe(false);
  });

  test("a young feed is never judged", () => {
    expect(
      looksLikeIdentityChange(dated(Array.from({ length: 20 }, () => -30)), 20, {
        itemsSeen: 3,
        lastSuccessAt: LAST_POLL,
      }),
    ).toBe(false);
  });
});
