import type { HostGate } from "../feeds/host-gate.ts";
import type { Snapshot } from "../model/snapshot.ts";

/**
 * A wait shorter than this is spent in the worker slot (handing the job back costs two Redis
 * round trips and a delay tick); a longer one hands the slot to a feed on another host.
 */
export const HOLD_SLOT_MAX_MS = 250;

/**
 * How long this feed's poll would wait for its host's politeness slot. The configured URL is
 * used: a feed moved by a permanent redirect may be gated on its new host a little longer, which
 * the gate itself then absorbs.
 */
export function hostWaitMs(
  feedId: string,
  deps: { snapshot(): Snapshot; hostGate: HostGate },
): number {
  const feed = deps.snapshot().feeds.get(feedId);
  if (!feed) return 0;
  return deps.hostGate.waitFor(new URL(feed.url).host);
}
