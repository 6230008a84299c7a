import type { Alert, SnippetSegment } from "../../model/alert.ts";
import type { Outgoing } from "../../model/outgoing.ts";
import type { SendContext } from "../channel.ts";
import { formatTime } from "../message-view.ts";

export interface PresetRequest {
  url: string;
  body: string;
}

/** One service's incoming-webhook shape: `format: <name>` on a webhook selects it. */
export interface WebhookPreset<Format extends string = string> {
  readonly format: Format;
  /** The request for a message: the body, and the endpoint when the service moves it. */
  request(url: string, message: Outgoing, ctx: SendContext): PresetRequest;
  /** Why the webhook URL cannot work for this service, or null (`newswatch check`). */
  urlProblem?(url: string): string | null;
}

export function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function byNewest(alerts: Alert[]): Alert[] {
  const t = (a: Alert) => Date.parse(a.item.published ?? a.discoveredAt) || 0;
  return [...alerts].sort((a, b) => t(b) - t(a));
}

export function storyCount(message: Extract<Outgoing, { kind: "digest" }>): number {
  return message.digest.sections.reduce((n, s) => n + s.alerts.length, 0);
}

export function digestTitle(message: Extract<Outgoing, { kind: "digest" }>): string {
  const n = storyCount(message);
  return `Newswatch digest: ${n === 1 ? "1 new story" : `${n} new stories`} · ${message.digest.periodLabel}`;
}

export function plainSnippet(
  segments: SnippetSegment[],
  mark: (hit: string) => string,
  esc: (s: string) => string,
) {
  return segments.map((s) => (s.hit ? mark(esc(s.text)) : esc(s.text))).join("");
}

export function sourceLine(alert: Alert, ctx: SendContext): string {
  const when = formatTime(alert.item.published ?? alert.discoveredAt, ctx.timezone);
  return [alert.item.feed.title || alert.item.feed.id, when].filter(Boolean).join(" · ");
}

/** An alert's relevance links as one plain line, or "" when the message carries none. */
export function feedbackLine(
  ctx: SendContext,
  link: (url: string, label: string) => string,
): string {
  const urls = ctx.feedbackUrls;
  if (!urls) return "";
  return `Was this useful? ${link(urls.useful, "Useful")} · ${link(urls.notRelevant, "Not relevant")}`;
}
