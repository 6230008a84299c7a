import { describe, expect, test } from "vitest";
import {
  inQuietHours,
  msUntilQuietEnd,
  routeAlert,
  STORM_NOTE,
} from "../../../src/alerts/policy.ts";
import type { Subscriber } from "../../../src/model/subscriber.ts";

const sub = (s: Partial<Subscriber> = {}): Subscriber => ({
  id: "desk",
  email: "desk@example.org",
  mode: "immediate",
  schedule: "0 7 * * *",
  timezone: "Asia/Baghdad",
  watchlists: [{ id: "w", mode: "immediate" }],
  source: "config",
  ...s,
});

describe("delivery policy", () => {
  test("quiet hours wrap past midnight in the subscriber's timezone", () => {
    // 20:30 UTC is 23:30 in Baghdad (UTC+3): inside 22:00-06:00 there, outside it in UTC.
    const at = new Date("2026-11-26T20:30:00Z");
    expect(inQuietHours("22:00-06:00", "Asia/Baghdad", at)).toBe(true);
    expect(inQuietHours("22:00-06:00", "UTC", at)).toBe(false);
    expect(msUntilQuietEnd("22:00-06:00", "Asia/Baghdad", at)).toBe(6.5 * 3_600_000);
  });

  test("an immediate alert in quiet hours is held; in 'both' mode it goes to the digest instead", () => {
    const at = new Date("2026-11-26T20:30:00Z");
    expect(routeAlert("immediate", sub({ quietHours: "22:00-06:00" }), at, 1)).toEqual({
      immediate: false,
      digest: false,
      held: true,
    });
    expect(routeAlert("both", sub({ quietHours: "22:00-06:00" }), at, 1)).toEqual({
      immediate: false,
      digest: true,
      held: false,
    });
  });

  test("the storm cap lets maxPerHour alerts through, the last one says so, the rest go to the digest", () => {
    const capped = sub({ maxPerHour: 3 });
    const at = new Date("2026-11-26T10:00:00Z");
    expect(routeAlert("immediate", capped, at, 2)).toEqual({
      immediate: true,
      digest: false,
      held: false,
    });
    expect(routeAlert("immediate", capped, at, 3)).toEqual({
      immediate: true,
      digest: false,
      held: false,
      note: STORM_NOTE,
    });
    expect(routeAlert("immediate", capped, at, 4)).toEqual({
      immediate: false,
      digest: true,
      held: false,
    });
  });

  test("digest mode never sends immediately", () => {
    expect(routeAlert("digest", sub(), new Date(), 0)).toEqual({
      immediate: false,
      digest: true,
      held: false,
    });
  });
});
