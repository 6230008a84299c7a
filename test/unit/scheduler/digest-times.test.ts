import { describe, expect, test } from "vitest";
import { nextDigestTime, previousDigestTime } from "../../../src/scheduler/digest-times.ts";

describe("digest times", () => {
  test("07:00 in Baghdad is 04:00 UTC, every day", () => {
    const at = new Date("2026-11-26T05:00:00Z");
    expect(previousDigestTime("0 7 * * *", "Asia/Baghdad", at).toISOString()).toBe(
      "2026-11-26T04:00:00.000Z",
    );
    expect(nextDigestTime("0 7 * * *", "Asia/Baghdad", at).toISOString()).toBe(
      "2026-11-27T04:00:00.000Z",
    );
  });

  test("across the spring DST change in London, 07:00 local moves from 07:00 to 06:00 UTC", () => {
    expect(
      nextDigestTime("0 7 * * *", "Europe/London", new Date("2026-03-28T08:00:00Z")).toISOString(),
    ).toBe("2026-03-29T06:00:00.000Z");
    expect(
      previousDigestTime(
        "0 7 * * *",
        "Europe/London",
        new Date("2026-03-28T07:30:00Z"),
      ).toISOString(),
    ).toBe("2026-03-28T07:00:00.000Z");
  });

  test("across the autumn DST change in New York, 07:00 local moves from 11:00 to 12:00 UTC", () => {
    expect(
      nextDigestTime(
        "0 7 * * *",
        "America/New_York",
        new Date("2026-10-31T12:00:00Z"),
      ).toISOString(),
    ).toBe("2026-11-01T12:00:00.000Z");
  });

  test("a digest due exactly now counts as due", () => {
    const at = new Date("2026-11-26T04:00:00Z");
    expect(previousDigestTime("0 7 * * *", "Asia/Baghdad", at).toISOString()).toBe(
      at.toISOString(),
    );
  });
});
