import { z } from "zod";
import { validateEmailAddress } from "../channels/email-address.ts";
import type { ChannelKind } from "../channels/registry.ts";
import { subscriberPolicyFields } from "../config/schema.ts";
import { checkCron } from "../config/validate.ts";
import { DEFAULT_UPDATE_INTERVAL_MS, type Subscriber } from "../model/subscriber.ts";

/** What a person (or the admin API) may set on a subscription: the config file's fields. */
export const subscriptionFields = z.strictObject({
  email: z.string(),
  ...subscriberPolicyFields("choose at least one watchlist"),
});

export type SubscriptionInput = z.input<typeof subscriptionFields>;

/** A subscription ready to store: address normalized, watchlists resolved to effective modes. */
export type ValidSubscription = Omit<Subscriber, "id" | "source" | ChannelKind> & {
  email: string;
};

/** Field name → what is wrong with it, worded for the person who typed it. */
export type FieldErrors = Record<string, string>;

export type SubscriptionCheck =
  | { ok: true; value: ValidSubscription }
  | { ok: false; errors: FieldErrors };

/**
 * Validates a subscription exactly as the config file's subscribers are validated: the same
 * zod pieces for shape, mode, timezone and quiet hours, the email channel's address check,
 * the cron check, and watchlist ids against the watchlists that exist right now.
 */
export function checkSubscription(
  raw: unknown,
  knownWatchlists: ReadonlySet<string>,
): SubscriptionCheck {
  const parsed = subscriptionFields.safeParse(raw);
  const errors: FieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "form");
      errors[field] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const input = parsed.data;
  const address = validateEmailAddress(input.email);
  if (!address.ok) errors.email = address.reason;
  const cron = checkCron(input.schedule, input.timezone);
  if (cron) errors.schedule = cron;
  const watchlists = input.watchlists.map((ref) =>
    typeof ref === "string"
      ? { id: ref, mode: input.mode }
      : {
          id: ref.id,
          mode: ref.mode ?? input.mode,
          ...(ref.updates ? { updates: ref.updates } : {}),
        },
  );
  const unknown = watchlists.filter((w) => !knownWatchlists.has(w.id)).map((w) => w.id);
  if (unknown.length > 0) errors.watchlists = `unknown watchlist: ${unknown.join(", ")}`;
  if (new Set(watchlists.map((w) => w.id)).size !== watchlists.length)
    errors.watchlists ??= "a watchlist is listed twice";
  if (!address.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      email: address.address,
      mode: input.mode,
      schedule: input.schedule,
      timezone: input.timezone,
      ...(input.quietHours ? { quietHours: input.quietHours } : {}),
      ...(input.maxPerHour ? { maxPerHour: maxPerHourOf(input.maxPerHour) } : {}),
      ...(input.updates ? { updates: input.updates } : {}),
      // Unset means the default, so a subscription that did not choose one stores none.
      ...(input.updateInterval !== DEFAULT_UPDATE_INTERVAL_MS
        ? { updateInterval: input.updateInterval }
        : {}),
      watchlists,
    },
  };
}

/** "unlimited" turns the storm cap off, stored as null like a config subscriber's. */
function maxPerHourOf(value: number | "unlimited"): number | null {
  return value === "unlimited" ? null : value;
}
