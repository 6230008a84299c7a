import type { DeliveryMode } from "../../config/schema.ts";
import type { FieldErrors } from "../../subscriptions/validate.ts";
import { type Html, html } from "../html.ts";
import type { KnownWatchlist } from "../web-deps.ts";

/** The values a subscription form shows: what was submitted, or what is stored. */
export interface FormValues {
  email?: string;
  watchlists: string[];
  mode: DeliveryMode;
  schedule: string;
  timezone: string;
  quietFrom?: string;
  quietTo?: string;
  /** A fresh form: the page script may replace UTC with the browser's timezone. */
  browserTimezone?: boolean;
}

export const SCHEDULES: { value: string; label: string }[] = [
  { value: "0 7 * * *", label: "Every day at 07:00" },
  { value: "0 7,17 * * *", label: "Twice a day, 07:00 and 17:00" },
  { value: "0 7 * * 1-5", label: "Weekdays at 07:00" },
  { value: "0 7 * * 1", label: "Every Monday at 07:00" },
];

const TIMEZONES: string[] = (() => {
  const zones = Intl.supportedValuesOf("timeZone");
  return zones.includes("UTC") ? zones : ["UTC", ...zones];
})();

/** The form's fields as the subscription schema reads them (formbody gives strings or arrays). */
export function formToInput(body: Record<string, unknown>): Record<string, unknown> {
  const text = (k: string) => (typeof body[k] === "string" ? (body[k] as string).trim() : "");
  const list = body.watchlists;
  const watchlists = Array.isArray(list) ? list : typeof list === "string" ? [list] : [];
  const custom = text("scheduleCustom");
  const from = text("quietFrom");
  const to = text("quietTo");
  return {
    ...(body.email !== undefined ? { email: text("email") } : {}),
    watchlists,
    mode: text("mode") || "immediate",
    schedule: custom || text("schedule") || "0 7 * * *",
    timezone: text("timezone") || "UTC",
    ...(from || to ? { quietHours: `${from}-${to}` } : {}),
  };
}

export function formValues(body: Record<string, unknown>): FormValues {
  const input = formToInput(body);
  const [quietFrom, quietTo] = String(input.quietHours ?? "-").split("-");
  return {
    email: typeof input.email === "string" ? input.email : undefined,
    watchlists: (input.watchlists as unknown[]).map(String),
    mode: (["immediate", "digest", "both"].includes(String(input.mode))
      ? input.mode
      : "immediate") as DeliveryMode,
    schedule: String(input.schedule),
    timezone: String(input.timezone),
    quietFrom,
    quietTo,
  };
}

function fieldError(errors: FieldErrors, field: string): Html {
  const message = errors[field];
  return message ? html`<p class="field-error" id="${field}-error">${message}</p>` : html``;
}

function describedBy(errors: FieldErrors, field: string, hint?: string): string {
  return [errors[field] ? `${field}-error` : "", hint ?? ""].filter(Boolean).join(" ");
}

/** Watchlists, mode, schedule, timezone and quiet hours: shared by Subscribe and Manage. */
export function policyFields(
  watchlists: KnownWatchlist[],
  values: FormValues,
  errors: FieldErrors,
): Html {
  const isPreset = SCHEDULES.some((s) => s.value === values.schedule);
  return html`
<fieldset${errors.watchlists ? html` class="invalid"` : ""}>
<legend>Watchlists</legend>
${fieldError(errors, "watchlists")}
${watchlists.map(
  (w) =>
    html`<label class="check"><input type="checkbox" name="watchlists" value="${w.id}"${
      values.watchlists.includes(w.id) ? html` checked` : ""
    }> <span><strong>${w.title}</strong>${w.description ? html`<br><span class="hint">${w.description}</span>` : ""}</span></label>`,
)}
${watchlists.length === 0 ? html`<p>No watchlists are defined yet.</p>` : ""}
</fieldset>
<fieldset>
<legend>How often</legend>
${fieldError(errors, "mode")}
${(
  [
    ["immediate", "As it happens", "one email per story, as soon as it is seen"],
    ["digest", "Digest", "one email per period, on the schedule below"],
    ["both", "Both", "as it happens, and a digest"],
  ] as const
).map(
  ([value, label, hint]) =>
    html`<label class="check"><input type="radio" name="mode" value="${value}"${
      values.mode === value ? html` checked` : ""
    }> <span>${label} <span class="hint">(${hint})</span></span></label>`,
)}
</fieldset>
<div class="field">
<label for="schedule">Digest schedule</label>
<select id="schedule" name="schedule" aria-describedby="${describedBy(errors, "schedule")}">
${SCHEDULES.map(
  (s) =>
    html`<option value="${s.value}"${values.schedule === s.value ? html` selected` : ""}>${s.label}</option>`,
)}
</select>
<label for="scheduleCustom" class="sub">or a cron expression</label>
<input id="scheduleCustom" name="scheduleCustom" value="${isPreset ? "" : values.schedule}" placeholder="0 7 * * *" autocomplete="off">
${fieldError(errors, "schedule")}
</div>
<div class="field">
<label for="timezone">Timezone</label>
<select id="timezone" name="timezone" data-default-browser="${values.browserTimezone ? "yes" : "no"}" aria-describedby="${describedBy(errors, "timezone")}">
${TIMEZONES.map((tz) => html`<option${tz === values.timezone ? html` selected` : ""}>${tz}</option>`)}
</select>
${fieldError(errors, "timezone")}
</div>
<fieldset>
<legend>Quiet hours <span class="hint">(optional; alerts are held and sent when they end)</span></legend>
<div class="inline">
<label for="quietFrom">From</label> <input type="time" id="quietFrom" name="quietFrom" value="${values.quietFrom ?? ""}">
<label for="quietTo">to</label> <input type="time" id="quietTo" name="quietTo" value="${values.quietTo ?? ""}">
</div>
${fieldError(errors, "quietHours")}
</fieldset>`;
}

export function errorSummary(errors: FieldErrors): Html {
  const count = Object.keys(errors).length;
  if (count === 0) return html``;
  return html`<div class="error-summary" role="alert"><p>Please correct ${count === 1 ? "the field" : `the ${count} fields`} marked below.</p></div>`;
}
