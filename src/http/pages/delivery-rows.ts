import type { Outgoing } from "../../model/outgoing.ts";
import type { Queues } from "../../queue/queues.ts";
import type { DeliveryAttempt } from "../../store/deliveries.ts";
import { type Html, html } from "../html.ts";

export interface DescribedAttempt extends DeliveryAttempt {
  /** What the message was about: the story's title, the digest, the notice's subject. */
  about: string;
  link: string | null;
}

/**
 * The audit trail records ids, not content; the delivery job (kept a day when completed,
 * 30 days when failed) still has the message, so the title comes from there when it can.
 */
export async function describeAttempts(
  attempts: DeliveryAttempt[],
  queues: Pick<Queues, "findDelivery">,
): Promise<DescribedAttempt[]> {
  return Promise.all(
    attempts.map(async (a) => {
      const job = await queues.findDelivery(a.deliveryId).catch(() => undefined);
      const message = (job?.data as { message?: Outgoing } | undefined)?.message;
      if (message?.kind === "alert")
        return { ...a, about: message.alert.item.title, link: message.alert.item.link };
      if (message?.kind === "digest")
        return { ...a, about: `Digest: ${message.digest.periodLabel}`, link: null };
      if (message?.kind === "notice") return { ...a, about: message.notice.subject, link: null };
      return { ...a, about: fallbackLabel(a.messageId), link: null };
    }),
  );
}

/** When the job is gone: say what kind of message it was from its id's shape. */
function fallbackLabel(messageId: string): string {
  if (messageId.startsWith("confirm-")) return "Confirmation email";
  if (messageId.startsWith("already-")) return "Already-subscribed note";
  if (messageId.startsWith("digest")) return `Digest (${messageId})`;
  return `Alert ${messageId}`;
}

export function formatTime(iso: string, timezone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: timezone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(date);
}

export function outcomeBadge(outcome: string): Html {
  return html`<span class="badge badge-${outcome}">${outcome}</span>`;
}

/** A link to something from the internet: only http(s) URLs become links. */
export function safeLink(url: string | null, text: string): Html {
  if (url && /^https?:\/\//i.test(url))
    return html`<a href="${url}" rel="noopener noreferrer">${text}</a>`;
  return html`${text}`;
}
