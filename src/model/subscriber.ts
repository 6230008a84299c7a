import { CHANNELS, type ChannelFields, settingOf } from "../channels/registry.ts";
import type { DeliveryMode, SubscriberConfig, UpdatesMode } from "../config/schema.ts";

/** Subscriber id used for admin notices in the audit trail (never unsubscribed or suppressed). */
export const ADMIN_SUBSCRIBER = "admin";

/**
 * A subscriber as delivery sees it, whether it came from the config file or the API: one
 * optional setting per channel (see the registry), and the delivery policy.
 */
export interface Subscriber extends ChannelFields {
  id: string;
  mode: DeliveryMode;
  schedule: string;
  timezone: string;
  quietHours?: string;
  /** Storm cap: immediate alerts per clock hour; null is no cap. @defaultValue 20 */
  maxPerHour?: number | null;
  /** Later reports of a story already alerted. @defaultValue "digest" */
  updates?: UpdatesMode;
  /** At most one immediate update per story in this many ms. @defaultValue 30 minutes */
  updateInterval?: number;
  /** Each subscribed watchlist with its effective mode (the override, else the subscriber's). */
  watchlists: { id: string; mode: DeliveryMode; updates?: UpdatesMode }[];
  source: "config" | "api";
}

export const DEFAULT_UPDATE_INTERVAL_MS = 1_800_000;

/**
 * A burst (a feed gone wild, a busy night) must not flood anyone: without a `maxPerHour` of
 * their own, subscribers get at most this many immediate alerts an hour, the rest in the
 * next digest.
 */
export const DEFAULT_MAX_PER_HOUR = 20;

/** The subscriber's storm cap, or undefined when they turned it off. */
export function stormCap(sub: Subscriber): number | undefined {
  if (sub.maxPerHour === null) return undefined;
  return sub.maxPerHour ?? DEFAULT_MAX_PER_HOUR;
}

/** How later reports of a story reach this subscriber for one watchlist. */
export function updatesFor(sub: Subscriber, watchlistId: string): UpdatesMode {
  return sub.watchlists.find((w) => w.id === watchlistId)?.updates ?? sub.updates ?? "digest";
}

export function fromConfig(sub: SubscriberConfig): Subscriber {
  return {
    id: sub.id,
    ...(Object.fromEntries(CHANNELS.map((m) => [m.kind, settingOf(sub, m.kind)])) as ChannelFields),
    mode: sub.mode,
    schedule: sub.schedule,
    timezone: sub.timezone,
    quietHours: sub.quietHours,
    maxPerHour: sub.maxPerHour === "unlimited" ? null : sub.maxPerHour,
    updates: sub.updates,
    updateInterval: sub.updateInterval,
    watchlists: sub.watchlists.map((ref) =>
      typeof ref === "string"
        ? { id: ref, mode: sub.mode }
        : {
            id: ref.id,
            mode: ref.mode ?? sub.mode,
            ...(ref.updates ? { updates: ref.updates } : {}),
          },
    ),
    source: "config",
  };
}

/**
 * True when the subscriber has a digest on schedule: a watchlist in digest or both mode, a
 * storm cap of their own, whose overflow goes into the next digest, or story updates they
 * asked to get by digest. Others (immediate only, the default cap and updates) get a digest
 * only when something waits for one: see the scheduler.
 */
export function receivesDigests(sub: Subscriber): boolean {
  return (
    typeof sub.maxPerHour === "number" ||
    sub.updates === "digest" ||
    sub.watchlists.some((w) => w.mode !== "immediate" || w.updates === "digest")
  );
}
