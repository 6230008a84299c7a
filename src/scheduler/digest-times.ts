import { CronExpressionParser } from "cron-parser";

/** The most recent scheduled digest time at or before `now`, in the subscriber's timezone. */
export function previousDigestTime(schedule: string, timezone: string, now: Date): Date {
  const expr = CronExpressionParser.parse(schedule, {
    tz: timezone,
    currentDate: new Date(now.getTime() + 1),
  });
  return expr.prev().toDate();
}

/** The next scheduled digest time after `now` (for `newswatch subscribers`). */
export function nextDigestTime(schedule: string, timezone: string, now: Date): Date {
  const expr = CronExpressionParser.parse(schedule, { tz: timezone, currentDate: now });
  return expr.next().toDate();
}
