import { describe, expect, test } from "vitest";
import { msUntilQuietEnd } from "../../../src/alerts/policy.ts";

/** When alerts held at `at` go out: the instant the quiet window ends. */
const flushAt = (window: string, timezone: string, at: string) =>
  new Date(Date.parse(at) + msUntilQuietEnd(window, timezone, new Date(at))).toISOString();

describe("quiet hours end at the local wall-clock time across DST changes", () => {
  test("on London's spring-forward night, 22:00-06:00 ends at 06:00 BST (05:00 UTC) whenever the alert was held", () => {
    expect(flushAt("22:00-06:00", "Europe/London", "2026-03-28T23:00:00Z")).toBe(
      "2026-03-29T05:00:00.000Z",
    );
    expect(flushAt("22:00-06:00", "Europe/London", "2026-03-29T03:10:20Z")).toBe(
      "2026-03-29T05:00:00.000Z",
    );
  });

  test("on London's autumn night, 22:00-06:00 ends at 06:00 GMT (06:00 UTC), not an hour early", () => {
    expect(flushAt("22:00-06:00", "Europe/London", "2026-10-24T21:30:00Z")).toBe(
      "2026-10-25T06:00:00.000Z",
    );
  });

  test("a window ending in the hour that is skipped ends when the clock jumps past it", () => {
    // London jumps from 01:00 GMT to 02:00 BST at 01:00 UTC: 01:30 never shows.
    expect(flushAt("22:00-01:30", "Europe/London", "2026-03-28T23:00:00Z")).toBe(
      "2026-03-29T01:00:00.000Z",
    );
  });

  test("a window ending in the repeated hour ends the first time the clock reads its end", () => {
    // New York shows 01:30 twice on 1 November 2026: 05:30 UTC (EDT), then 06:30 UTC (EST).
    expect(flushAt("22:00-01:30", "America/New_York", "2026-11-01T03:00:00Z")).toBe(
      "2026-11-01T05:30:00.000Z",
    );
    // Held during the second pass, before 01:30 comes round again.
    expect(flushAt("01:00-01:30", "America/New_York", "2026-11-01T06:10:00Z")).toBe(
      "2026-11-01T06:30:00.000Z",
    );
  });

  test("on an ordinary night the window is as long as its local minutes", () => {
    expect(flushAt("22:00-06:00", "Asia/Baghdad", "2026-11-26T20:30:45.500Z")).toBe(
      "2026-11-27T03:00:00.000Z",
    );
  });
});
