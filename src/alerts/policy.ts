import type { DeliveryMode } from "../config/schema.ts";
import type { Subscriber } from "./subscriber.ts";

/** Where one alert goes for one subscriber right now. */
export interface Route {
  /** Send it now, on every channel of the subscriber. */
  immediate: boolean;
  /** File it for the next scheduled digest. */
  digest: boolean;
  /** Quiet hours: hold it and send all held alerts in one message when they end. */
  held: boolean;
  /** Told to the subscriber in the alert itself (the storm cap's last immediate alert). */
  note?: string;
}

export const STORM_NOTE =
  "You have reached your limit of immediate alerts for this hour: further alerts this hour go into your next digest.";

/**
 * Applies the subscriber's policy. `sentThisHour` counts immediate alerts already sent in
 * this clock hour, including this one (an atomic counter, so several workers agree).
 */
export function routeAlert(
  mode: DeliveryMode,
  sub: Subscriber,
  now: Date,
  sentThisHour: number,
): Route {
  if (mode === "digest") return { immediate: false, digest: true, held: false };
  const alsoDigest = mode === "both";
  if (sub.quietHours && inQuietHours(sub.quietHours, sub.timezone, now)) {
    return { immediate: false, digest: alsoDigest, held: !alsoDigest };
  }
  if (sub.maxPerHour !== undefined && sentThisHour > sub.maxPerHour) {
    return { immediate: false, digest: true, held: false };
  }
  const last = sub.maxPerHour !== undefined && sentThisHour === sub.maxPerHour;
  return {
    immediate: true,
    digest: alsoDigest,
    held: false,
    ...(last ? { note: STORM_NOTE } : {}),
  };
}

/**
 * Whether an alert counts against the storm cap: only one that would go out now. Digest
 * alerts and alerts held in quiet hours do not use up the hour's immediate alerts.
 */
export function countsTowardStormCap(mode: DeliveryMode, sub: Subscriber, now: Date): boolean {
  if (mode === "digest" || sub.maxPerHour === undefined) return false;
  return !(sub.quietHours && inQuietHours(sub.quietHours, sub.timezone, now));
}

/** Minutes since local midnight in a timezone. */
export function localMinutes(timezone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: timezone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const hour = Number(parts.find((p) => p.type === "hour")?.value ?? 0);
  const minute = Number(parts.find((p) => p.type === "minute")?.value ?? 0);
  return hour * 60 + minute;
}

function parseWindow(window: string): [number, number] {
  const [start, end] = window.split("-").map((hhmm) => {
    const [h, m] = hhmm.split(":").map(Number);
    return (h ?? 0) * 60 + (m ?? 0);
  });
  return [start ?? 0, end ?? 0];
}

/** True inside "22:00-06:00" (a window may wrap past midnight), in the subscriber's timezone. */
export function inQuietHours(window: string, timezone: string, at: Date): boolean {
  const [start, end] = parseWindow(window);
  const now = localMinutes(timezone, at);
  return start <= end ? now >= start && now < end : now >= start || now < end;
}

/** Milliseconds until the quiet window ends (when held alerts go out). */
export function msUntilQuietEnd(window: string, timezone: string, at: Date): number {
  const [, end] = parseWindow(window);
  const now = localMinutes(timezone, at);
  const minutes = (end - now + 1440) % 1440 || 1440;
  return minutes * 60_000 - at.getUTCSeconds() * 1000 - at.getUTCMilliseconds();
}
