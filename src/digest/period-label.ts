/** "26 Nov 2026, 07:00 (Asia/Baghdad)" for a period key that is a timestamp, else now. */
export function periodLabel(timezone: string, periodKey: string): string {
  const ms = Number(periodKey.replace(/^\D+-/, ""));
  const at = Number.isFinite(ms) && ms > 1e11 ? new Date(ms) : new Date();
  const text = new Intl.DateTimeFormat("en-GB", {
    timeZone: timezone,
    dateStyle: "medium",
    timeStyle: "short",
  }).format(at);
  return `${text} (${timezone})`;
}
