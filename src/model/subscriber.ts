import { CHANNELS, type ChannelFields, settingOf } from "../channels/registry.ts";
import type { DeliveryMode, SubscriberConfig } from "../config/schema.ts";

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
  maxPerHour?: number;
  /** Each subscribed watchlist with its effective mode (the override, else the subscriber's). */
  watchlists: { id: string; mode: DeliveryMode }[];
  source: "config" | "api";
}

export function fromConfig(sub: SubscriberConfig): Subscriber {
  return {
    id: sub.id,
    ...(Object.fromEntries(CHANNELS.map((m) => [m.kind, settingOf(sub, m.kind)])) as ChannelFields),
    mode: sub.mode,
    schedule: sub.schedule,
    timezone: sub.timezone,
    quietHours: sub.quietHours,
    maxPerHour: sub.maxPerHour,
    watchlists: sub.watchlists.map((ref) =>
      typeof ref === "string"
        ? { id: ref, mode: sub.mode }
        : { id: ref.id, mode: ref.mode ?? sub.mode },
    ),
    source: "config",
  };
}

/**
 * True when scheduled digests can carry something for this subscriber: a watchlist in digest
 * or both mode, or a storm cap, whose overflow goes into the next digest.
 */
export function receivesDigests(sub: Subscriber): boolean {
  return sub.maxPerHour !== undefined || sub.watchlists.some((w) => w.mode !== "immediate");
}
