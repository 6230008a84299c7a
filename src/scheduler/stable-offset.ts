import { createHash } from "node:crypto";

/**
 * A fixed point within the interval for each feed, from a hash of its id: feeds are spread
 * over the interval instead of all polled at once, and the spread survives restarts and is
 * the same on every scheduler.
 */
export function stableOffsetMs(feedId: string, intervalMs: number): number {
  const n = createHash("sha1").update(feedId).digest().readUInt32BE(0);
  return intervalMs > 0 ? n % intervalMs : 0;
}
