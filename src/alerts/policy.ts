import type { DeliveryMode } from "../config/schema.ts";
import { type Subscriber, stormCap } from "../model/subscriber.ts";

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
  const cap = stormCap(sub);
  if (cap !== undefined && sentThisHour > cap) {
    return { immediate: false, digest: true, held: false };
  }
  const last = cap !== undefined && sentThisHour === cap;
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
  if (mode === "digest" || stormCap(sub) === undefined) return false;
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
  // Work in the local wall clock, then find the real instant it reads the end time: on a
  // DST night the window is an hour shorter or longer than its local minutes suggest.
  const wallNow = at.getTime() + utcOffsetMs(timezone, at.getTime());
  let wallEnd = wallNow - (((wallNow % DAY_MS) + DAY_MS) % DAY_MS) + end * 60_000;
  if (wallEnd <= wallNow) wallEnd += DAY_MS;
  return instantOfWallTime(timezone, wallEnd, at.getTime()) - at.getTime();
}

const DAY_MS = 86_400_000;
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The timezone's offset from UTC at an instant (local wall clock minus UTC), in ms. */
export function utcOffsetMs(timezone: string, at: number): number {
  let format = offsetFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone: timezone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    offsetFormats.set(timezone, format);
  }
  const parts = format.formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(
    part("year"),
    part("month") - 1,
    part("day"),
    part("hour"),
    part("minute"),
    part("second"),
  );
  return wall - (at - (((at % 1000) + 1000) % 1000));
}

/**
 * The first instant after `after` at which the local clock reads `wall` (a wall-clock time
 * written as if it were UTC). A time repeated when clocks go back is taken at its first
 * pass; a time skipped when they go forward ends at the jump, when the clock passes it.
 */
function instantOfWallTime(timezone: string, wall: number, after: number): number {
  // The offsets in force a day either side: every zone keeps transitions further apart.
  const offsets = [utcOffsetMs(timezone, wall - DAY_MS), utcOffsetMs(timezone, wall + DAY_MS)];
  const exact = offsets
    .map((offset) => wall - offset)
    .filter((t) => t > after && t + utcOffsetMs(timezone, t) === wall);
  if (exact.length > 0) return Math.min(...exact);
  // Skipped time: find the jump, the first second whose local time is already past `wall`.
  let lo = wall - Math.max(...offsets);
  let hi = wall - Math.min(...offsets);
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (mid + utcOffsetMs(timezone, mid) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}
