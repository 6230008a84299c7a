import { describe, expect, test } from "vitest";
import { nextPollDelayMs, type PollTiming } from "../../../src/feeds/schedule.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
const now = Date.parse("2026-11-26T12:00:00Z");

function timing(over: Partial<PollTiming> = {}): PollTiming {
  return {
    everyMs: 10 * MIN,
    minMs: 5 * MIN,
    maxMs: 24 * HOUR,
    cache: { maxAgeSeconds: null, expiresAt: null },
    ttlMinutes: null,
    updatePeriodMinutes: null,
    medianPublishIntervalMs: null,
    consecutiveErrors: 0,
    permanentError: false,
    retryAfterMs: null,
    now,
    random: () => 0.5,
    ...over,
  };
}

describe("a healthy feed", () => {
  test("is polled at its configured interval when the publisher gives no hints", () => {
    expect(nextPollDelayMs(timing())).toBe(10 * MIN);
  });

  test("a Cache-Control max-age longer than the interval is honoured", () => {
    expect(nextPollDelayMs(timing({ cache: { maxAgeSeconds: 1800, expiresAt: null } }))).toBe(
      30 * MIN,
    );
  });

  test("a short max-age does not make us poll faster than configured", () => {
    expect(nextPollDelayMs(timing({ cache: { maxAgeSeconds: 60, expiresAt: null } }))).toBe(
      10 * MIN,
    );
  });

  test("Expires, <ttl> and sy:updatePeriod each push the next poll out", () => {
    const expiresAt = new Date(now + 45 * MIN).toISOString();
    expect(nextPollDelayMs(timing({ cache: { maxAgeSeconds: null, expiresAt } }))).toBe(45 * MIN);
    expect(nextPollDelayMs(timing({ ttlMinutes: 60 }))).toBe(60 * MIN);
    expect(nextPollDelayMs(timing({ updatePeriodMinutes: 120 }))).toBe(120 * MIN);
  });

  test("a publisher asking for a week is still polled daily, one asking for nothing not faster than the minimum", () => {
    expect(nextPollDelayMs(timing({ ttlMinutes: 7 * 24 * 60 }))).toBe(24 * HOUR);
    expect(nextPollDelayMs(timing({ everyMs: MIN }))).toBe(5 * MIN);
  });

  test("a feed that publishes weekly is not polled every few minutes", () => {
    expect(nextPollDelayMs(timing({ medianPublishIntervalMs: 7 * 24 * HOUR }))).toBe(24 * HOUR);
  });

  test("a feed that publishes hourly is polled every quarter hour", () => {
    expect(nextPollDelayMs(timing({ medianPublishIntervalMs: HOUR }))).toBe(15 * MIN);
  });

  test("a feed publishing faster than the interval keeps the configured interval", () => {
    expect(nextPollDelayMs(timing({ medianPublishIntervalMs: 2 * MIN }))).toBe(10 * MIN);
  });
});

describe("a failing feed", () => {
  test("backs off exponentially with consecutive errors", () => {
    const upper = (n: number) => nextPollDelayMs(timing({ consecutiveErrors: n, random: () => 1 }));
    expect([1, 2, 3, 4].map(upper)).toEqual([10 * MIN, 20 * MIN, 40 * MIN, 80 * MIN]);
  });

  test("the back-off is jittered within its upper half", () => {
    const at = (r: number) => nextPollDelayMs(timing({ consecutiveErrors: 3, random: () => r }));
    expect(at(0)).toBe(20 * MIN);
    expect(at(0.5)).toBe(30 * MIN);
    expect(at(1)).toBe(40 * MIN);
  });

  test("a first error is retried at the healthy delay, never sooner", () => {
    expect(nextPollDelayMs(timing({ consecutiveErrors: 1, random: () => 0 }))).toBe(10 * MIN);
  });

  test("a weekly feed's back-off starts from its daily poll, not from the configured minutes", () => {
    const weekly = (n: number, r: number) =>
      nextPollDelayMs(
        timing({ medianPublishIntervalMs: 7 * 24 * HOUR, consecutiveErrors: n, random: () => r }),
      );
    expect([weekly(1, 0), weekly(1, 1), weekly(5, 0)]).toEqual([24 * HOUR, 24 * HOUR, 24 * HOUR]);
  });

  test("the publisher's <ttl> and sy:updatePeriod still hold while the feed fails", () => {
    const at = (n: number, r: number, over: Partial<PollTiming>) =>
      nextPollDelayMs(timing({ consecutiveErrors: n, random: () => r, ...over }));
    expect(at(1, 0, { ttlMinutes: 120 })).toBe(120 * MIN);
    expect(at(2, 1, { ttlMinutes: 120 })).toBe(240 * MIN);
    expect(at(3, 0, { updatePeriodMinutes: 60 })).toBe(120 * MIN);
  });

  test("an error that will not pass by itself (a 404) is retried at the slow end at once", () => {
    const at = (r: number) =>
      nextPollDelayMs(timing({ consecutiveErrors: 1, permanentError: true, random: () => r }));
    expect([at(0), at(1)]).toEqual([12 * HOUR, 24 * HOUR]);
  });

  test("the back-off stops growing at the maximum", () => {
    expect(nextPollDelayMs(timing({ consecutiveErrors: 50, random: () => 1 }))).toBe(24 * HOUR);
  });

  test("never polls before Retry-After, even beyond the maximum", () => {
    expect(nextPollDelayMs(timing({ consecutiveErrors: 1, retryAfterMs: 2 * HOUR }))).toBe(
      2 * HOUR,
    );
    expect(nextPollDelayMs(timing({ consecutiveErrors: 1, retryAfterMs: 48 * HOUR }))).toBe(
      48 * HOUR,
    );
  });

  test("a short Retry-After does not shorten the back-off", () => {
    expect(
      nextPollDelayMs(timing({ consecutiveErrors: 4, retryAfterMs: 1000, random: () => 1 })),
    ).toBe(80 * MIN);
  });
});
