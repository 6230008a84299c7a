import { type CronExpression, CronExpressionParser } from "cron-parser";
import { utcOffsetMs } from "../alerts/policy.ts";

/** The most recent scheduled digest time at or before `now`, in the subscriber's timezone. */
export function previousDigestTime(schedule: string, timezone: string, now: Date): Date {
  let before = new Date(now.getTime() + 1);
  for (;;) {
    const expr = CronExpressionParser.parse(schedule, { tz: timezone, currentDate: before });
    const time = expr.prev().toDate();
    if (!isRepeatedRun(expr, timezone, time)) return time;
    before = time;
  }
}

/** The next scheduled digest time after `now` (for `newswatch subscribers`). */
export function nextDigestTime(schedule: string, timezone: string, now: Date): Date {
  let after = now;
  for (;;) {
    const expr = CronExpressionParser.parse(schedule, { tz: timezone, currentDate: after });
    const time = expr.next().toDate();
    if (!isRepeatedRun(expr, timezone, time)) return time;
    after = time;
  }
}

/**
 * When clocks go back, the hour before the change is lived twice and cron-parser fires in
 * both: "30 1 * * *" in New York is due at 05:30Z and again at 06:30Z on the autumn day,
 * which would send that day's digest twice. As in Vixie cron, a schedule naming its hours
 * runs once, on the first pass; one with a wildcard hour keeps running in real time.
 */
function isRepeatedRun(expr: CronExpression, timezone: string, time: Date): boolean {
  if (expr.fields.hour.values.length === 24) return false;
  const t = time.getTime();
  const offset = utcOffsetMs(timezone, t);
  const dayBefore = utcOffsetMs(timezone, t - 86_400_000);
  if (dayBefore <= offset) return false;
  // The same wall-clock time, read under the earlier (larger) offset before the change.
  return utcOffsetMs(timezone, t - (dayBefore - offset)) === dayBefore;
}
