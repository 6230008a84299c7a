import { describe, expect, test } from "vitest";
import { feedHealth } from "../../../src/http/feed-health.ts";
import { EMPTY_FEED_STATE } from "../../../src/store/feed-state.ts";

const feed = { id: "wire", url: "https://wire.example/rss", enabled: true } as const;
const NOW = Date.parse("2026-11-26T12:00:00Z");
const HOUR = 3_600_000;

describe("feed health on the Sources page", () => {
  test("a feed that errored on its last poll is failing, even with an old success", () => {
    expect(
      feedHealth(
        feed,
        { ...EMPTY_FEED_STATE, lastSuccessAt: NOW - HOUR, consecutiveErrors: 1 },
        NOW,
      ),
    ).toBe("failing");
  });

  test("a feed that answers but has published nothing for over two days is silent", () => {
    const state = { ...EMPTY_FEED_STATE, lastSuccessAt: NOW, lastNewItemAt: NOW - 49 * HOUR };
    expect(feedHealth(feed, state, NOW)).toBe("silent");
  });

  test("a weekly feed is not silent after three quiet days: silence scales with its rhythm", () => {
    const state = {
      ...EMPTY_FEED_STATE,
      lastSuccessAt: NOW,
      lastNewItemAt: NOW - 72 * HOUR,
      medianIntervalMs: 7 * 24 * HOUR,
    };
    expect(feedHealth(feed, state, NOW)).toBe("ok");
  });

  test("a feed turned off in the config or disabled at run time is disabled, whatever its errors", () => {
    expect(
      feedHealth({ ...feed, enabled: false }, { ...EMPTY_FEED_STATE, consecutiveErrors: 3 }, NOW),
    ).toBe("disabled");
    expect(feedHealth(feed, { ...EMPTY_FEED_STATE, disabled: "410 Gone" }, NOW)).toBe("disabled");
  });

  test("a feed never polled yet is pending", () => {
    expect(feedHealth(feed, EMPTY_FEED_STATE, NOW)).toBe("pending");
  });
});
