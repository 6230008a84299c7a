import type { Alert, SnippetSegment } from "../model/alert.ts";
import type { Digest, Notice } from "../model/outgoing.ts";
import type { SendContext } from "./channel.ts";

/**
 * The data the email templates see. Everything here is plain text from the feed or the config:
 * the HTML templates escape it with {{ }}, and the highlighted snippet is a list of segments the
 * template wraps itself, so no template ever needs {{{ }}} on anything that came from the internet.
 */
export interface LinksView {
  unsubscribeUrl: string | null;
  manageUrl: string | null;
  hasFooterLinks: boolean;
}

export interface EntryView {
  title: string;
  link: string | null;
  feedTitle: string;
  published: string | null;
  snippet: SnippetSegment[];
  matchedTerms: string;
  /** The match is in the linked article only (a `fullText` feed), not in the feed's text. */
  foundInFullText: boolean;
  /** `last` lets a template put separators between entries and not after them. */
  alsoReportedBy: { feedTitle: string; title: string; link: string | null; last: boolean }[];
  hasAlsoReported: boolean;
  /** "carried by 3 independent outlets" or "single source": corroboration at a glance. */
  outletsLabel: string;
  /** What later reports changed ("5 killed (earlier: 3); responsibility claimed"), or null. */
  changes: string | null;
}

/** An alert's relevance links; both null when the message carries none. */
export interface FeedbackView {
  usefulUrl: string | null;
  notRelevantUrl: string | null;
  hasFeedback: boolean;
}

export interface AlertView extends EntryView, LinksView, FeedbackView {
  subject: string;
  watchlistTitle: string;
  note: string | null;
}

export interface DigestView extends LinksView {
  subject: string;
  periodLabel: string;
  storyCount: number;
  /** "1 new story", "3 new stories" */
  storiesLabel: string;
  sections: { watchlistTitle: string; storyCount: number; entries: EntryView[] }[];
}

export interface NoticeView extends LinksView {
  subject: string;
  paragraphs: string[];
  action: { label: string; url: string } | null;
}

const SNIPPET_FALLBACK_CHARS = 280;

// A Subject is one header line of at most 998 characters (RFC 5322 §2.1.1). nodemailer folds
// only at spaces and between encoded words, so a long unbroken title stays one line: bounding
// the text keeps every folded line legal, whatever a feed puts in its titles.
const HEADER_TEXT_MAX_CHARS = 200;

/**
 * Header-safe: CR/LF (and other control characters) would end the Subject header early, and
 * text from a feed is capped at `max` characters, ending with "…" when cut.
 */
export function headerSafe(text: string, max = HEADER_TEXT_MAX_CHARS): string {
  // Only a bounded prefix is cleaned, so a 1 MB title costs no more than a short one.
  const chars: string[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    chars.push(code < 0x20 || code === 0x7f ? " " : ch);
    if (chars.length > max * 4) break;
  }
  const clean = chars
    .join("")
    .replace(/\s{2,}/g, " ")
    .trim();
  const kept = Array.from(clean);
  if (kept.length <= max) return clean;
  return `${kept
    .slice(0, max - 1)
    .join("")
    .trimEnd()}…`;
}

/** Only web links become clickable: a feed can carry `javascript:` or `data:` URLs. */
export function safeLink(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** "25 Nov 2026, 00:40 (Asia/Baghdad)"; an unknown zone falls back to UTC rather than failing a send. */
export function formatTime(iso: string | null, timezone: string | undefined): string | null {
  if (!iso) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  const zone = formatterFor(timezone) ?? (formatterFor("UTC") as ZoneFormat);
  return `${zone.format.format(date)} (${zone.label})`;
}

interface ZoneFormat {
  format: Intl.DateTimeFormat;
  /** The zone's resolved name: asked once, resolvedOptions() builds a new object each call. */
  label: string;
}

// Building a formatter costs far more than using one (it was 5% of an email's CPU): one per
// timezone, kept for the life of the process. Unknown zones are remembered as null.
const formatters = new Map<string, ZoneFormat | null>();

function formatterFor(zone: string | undefined): ZoneFormat | null {
  if (!zone) return null;
  let known = formatters.get(zone);
  if (known === undefined) {
    try {
      const format = new Intl.DateTimeFormat("en-GB", {
        timeZone: zone,
        day: "numeric",
        month: "short",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      });
      known = { format, label: format.resolvedOptions().timeZone };
    } catch {
      known = null;
    }
    formatters.set(zone, known);
  }
  return known;
}

/** The query terms that matched, once each, in the order they were found. */
export function matchedTerms(alert: Alert): string[] {
  const seen = new Set<string>();
  for (const m of alert.matched) seen.add(m.term.toLowerCase());
  return [...seen];
}

function snippetOf(alert: Alert): SnippetSegment[] {
  if (alert.snippet.length > 0) return alert.snippet;
  const text = alert.item.text;
  if (!text) return [];
  const cut =
    text.length > SNIPPET_FALLBACK_CHARS ? `${text.slice(0, SNIPPET_FALLBACK_CHARS)}…` : text;
  return [{ text: cut, hit: false }];
}

function entryView(alert: Alert, ctx: SendContext): EntryView {
  return {
    title: alert.item.title || "(untitled)",
    link: safeLink(alert.item.link),
    feedTitle: alert.item.feed.title || alert.item.feed.id,
    published: formatTime(alert.item.published ?? alert.discoveredAt, ctx.timezone),
    snippet: snippetOf(alert),
    matchedTerms: matchedTerms(alert).join(", "),
    foundInFullText: alert.foundInFullText === true,
    alsoReportedBy: alert.alsoReportedBy.map((a, i, all) => ({
      feedTitle: a.feedTitle || a.feedId,
      title: a.title,
      link: safeLink(a.link),
      last: i === all.length - 1,
    })),
    hasAlsoReported: alert.alsoReportedBy.length > 0,
    outletsLabel: outletsLabel(alert.outlets ?? 1 + alert.alsoReportedBy.length),
    changes: alert.changes && alert.changes.length > 0 ? alert.changes.join("; ") : null,
  };
}

export function outletsLabel(outlets: number): string {
  return outlets <= 1 ? "single source" : `carried by ${outlets} independent outlets`;
}

function linksView(ctx: SendContext): LinksView {
  const unsubscribeUrl = safeLink(ctx.unsubscribeUrl);
  const manageUrl = safeLink(ctx.manageUrl);
  return { unsubscribeUrl, manageUrl, hasFooterLinks: Boolean(unsubscribeUrl || manageUrl) };
}

export function feedbackView(ctx: SendContext): FeedbackView {
  const usefulUrl = safeLink(ctx.feedbackUrls?.useful);
  const notRelevantUrl = safeLink(ctx.feedbackUrls?.notRelevant);
  return { usefulUrl, notRelevantUrl, hasFeedback: Boolean(usefulUrl && notRelevantUrl) };
}

export function alertSubject(alert: Alert): string {
  return headerSafe(`[${alert.watchlist.title}] ${alert.item.title || "(untitled)"}`);
}

export function alertView(alert: Alert, note: string | undefined, ctx: SendContext): AlertView {
  return {
    ...entryView(alert, ctx),
    ...linksView(ctx),
    ...feedbackView(ctx),
    subject: alertSubject(alert),
    watchlistTitle: alert.watchlist.title,
    note: note ?? null,
  };
}

function timeOf(alert: Alert): number {
  const t = Date.parse(alert.item.published ?? alert.discoveredAt);
  return Number.isNaN(t) ? 0 : t;
}

export function digestView(digest: Digest, ctx: SendContext): DigestView {
  const timezone = ctx.timezone ?? digest.timezone;
  const sections = digest.sections
    .filter((s) => s.alerts.length > 0)
    .map((s) => ({
      watchlistTitle: s.watchlist.title,
      storyCount: s.alerts.length,
      entries: [...s.alerts]
        .sort((a, b) => timeOf(b) - timeOf(a))
        .map((a) => entryView(a, { ...ctx, timezone })),
    }));
  const storyCount = sections.reduce((n, s) => n + s.storyCount, 0);
  const stories = storyCount === 1 ? "1 new story" : `${storyCount} new stories`;
  return {
    ...linksView(ctx),
    subject: headerSafe(`Newswatch digest: ${stories} · ${digest.periodLabel}`),
    periodLabel: digest.periodLabel,
    storyCount,
    storiesLabel: stories,
    sections,
  };
}

export function noticeView(notice: Notice, ctx: SendContext): NoticeView {
  const url = notice.action ? safeLink(notice.action.url) : null;
  return {
    ...linksView(ctx),
    subject: headerSafe(notice.subject),
    paragraphs: notice.text.split(/\n\s*\n|\n/).filter((p) => p.trim() !== ""),
    action: notice.action && url ? { label: notice.action.label, url } : null,
  };
}
