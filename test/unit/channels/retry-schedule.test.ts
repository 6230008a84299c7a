import { describe, expect, test } from "vitest";
import {
  DELIVERY_MAX_ATTEMPTS,
  deliveryRetryDelayMs,
} from "../../../src/channels/retry-schedule.ts";

const middle = () => 0.5; // no jitter
const lowest = () => 0; // -20%
const highest = () => 0.999999; // just under +20%

const MIN = 60_000;
const HOUR = 60 * MIN;

describe("deliveryRetryDelayMs", () => {
  test("follows the Standard Webhooks schedule: seconds, then minutes, then hours", () => {
    const delays = Array.from({ length: DELIVERY_MAX_ATTEMPTS - 1 }, (_, i) =>
      deliveryRetryDelayMs(i + 1, undefined, middle),
    );
    expect(delays).toEqual([
      1000,
      5000,
      5 * MIN,
      30 * MIN,
      2 * HOUR,
      5 * HOUR,
      10 * HOUR,
      10 * HOUR,
    ]);
  });

  test("all retries together span about a day", () => {
    let total = 0;
    for (let n = 1; n < DELIVERY_MAX_ATTEMPTS; n++)
      total += deliveryRetryDelayMs(n, undefined, middle);
    expect(total).toBeGreaterThan(20 * HOUR);
    expect(total).toBeLessThan(30 * HOUR);
  });

  test("jitter moves a delay by at most 20% either way", () => {
    expect(deliveryRetryDelayMs(3, undefined, lowest)).toBe(4 * MIN);
    expect(deliveryRetryDelayMs(3, undefined, highest)).toBeLessThanOrEqual(6 * MIN);
    expect(deliveryRetryDelayMs(3, undefined, highest)).toBeGreaterThan(5.9 * MIN);
  });

  test("never waits less than the receiver's Retry-After", () => {
    expect(deliveryRetryDelayMs(1, 120_000, middle)).toBe(120_000);
    expect(deliveryRetryDelayMs(2, 90_500.4, lowest)).toBe(90_501);
  });

  test("a Retry-After shorter than the schedule does not shorten it", () => {
    expect(deliveryRetryDelayMs(4, 1000, middle)).toBe(30 * MIN);
  });

  test("attempt counts past the schedule keep the last delay instead of failing", () => {
    expect(deliveryRetryDelayMs(50, undefined, middle)).toBe(10 * HOUR);
    expect(deliveryRetryDelayMs(0, undefined, middle)).toBe(1000);
  });

  test("allows the first attempt plus eight retries", () => {
    expect(DELIVERY_MAX_ATTEMPTS).toBe(9);
  });
});
