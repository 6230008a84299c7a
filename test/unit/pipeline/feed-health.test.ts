import { describe, expect, test } from "vitest";
import { healthNotice } from "../../../src/notices/admin-notices.ts";
import { feedHealth } from "../../../src/pipeline/feed-health.ts";
import { EMPTY_FEED_STATE, type FeedState } from "../../../src/store/feed-state.ts";

const NOW = Date.parse("2026-11-26T12:00:00Z");
const HOUR = 3_600_000;
const state = (s: Partial<FeedState>): FeedState => ({ ...EMPTY_FEED_STATE, ...s });

describe("feed health", () => {
  test("a feed failing fewer times than the threshold is still ok; at the threshold it is failing", () => {
    const healthy = {
      lastSuccessAt: NOW - HOUR,
      lastNewItemAt: NOW - HOUR,
      medianIntervalMs: HOUR,
    };
    expect(feedHealth(state({ ...healthy, consecutiveErrors: 4 }), 5, NOW)).toBe("ok");
    expect(feedHealth(state({ ...healthy, consecutiveErrors: 5 }), 5, NOW)).toBe("failing");
  });

  test("a feed that has never succeeded waits for the threshold before a notice, but shows as failing at once", () => {
    const neverOk = (errors: number) => state({ polls: errors, consecutiveErrors: errors });
    expect(feedHealth(neverOk(1), 5, NOW)).toBe("pending");
    expect(feedHealth(neverOk(4), 5, NOW)).toBe("pending");
    expect(feedHealth(neverOk(5), 5, NOW)).toBe("failing");
    expect(feedHealth(neverOk(1), 1, NOW)).toBe("failing");
  });

  test("an hourly feed quiet for two days is silent; a weekly feed quiet for two weeks is not", () => {
    expect(
      feedHealth(
        state({
          polls: 40,
          lastSuccessAt: NOW,
          lastNewItemAt: NOW - 48 * HOUR,
          medianIntervalMs: HOUR,
        }),
        5,
        NOW,
      ),
    ).toBe("silent");
    expect(
      feedHealth(
        state({
          polls: 40,
          lastSuccessAt: NOW,
          lastNewItemAt: NOW - 14 * 24 * HOUR,
          medianIntervalMs: 7 * 24 * HOUR,
        }),
        5,
        NOW,
      ),
    ).toBe("ok");
  });

  test("a feed seen for the first time is not called silent, however old its newest item", () => {
    expect(
      feedHealth(
        state({
          polls: 1,
          lastSuccessAt: NOW,
          lastNewItemAt: NOW - 72 * HOUR,
          medianIntervalMs: HOUR,
        }),
        5,
        NOW,
      ),
    ).toBe("ok");
  });

  test("for display a single failed poll is failing; a feed never polled is pending; a 410 is disabled", () => {
    expect(feedHealth(state({ lastSuccessAt: NOW - HOUR, consecutiveErrors: 1 }), 1, NOW)).toBe(
      "failing",
    );
    expect(feedHealth(state({}), 1, NOW)).toBe("pending");
    expect(feedHealth(state({ disabled: "410 Gone", consecutiveErrors: 3 }), 1, NOW)).toBe(
      "disabled",
    );
  });

  test("a failing feed is announced once, then once more when it recovers, and never per poll", () => {
    const failing = state({
      consecutiveErrors: 6,
      errorCategory: "timeout",
      lastError: "deadline of 30 s passed",
    });
    const first = healthNotice("k24", "ok", "failing", failing);
    expect(first?.subject).toBe("[newswatch] feed k24 is failing");
    expect(first?.text).toContain("deadline of 30 s passed");
    expect(healthNotice("k24", "failing", "failing", failing)).toBeNull();
    expect(healthNotice("k24", "failing", "ok", state({}))?.subject).toBe(
      "[newswatch] feed k24 recovered",
    );
    expect(healthNotice("k24", null, "ok", state({}))).toBeNull();
  });
});
