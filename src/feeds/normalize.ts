import { createHash } from "node:crypto";
import type { FeedItem } from "../model/item.ts";
import { collapse, decodeEntities, htmlToText } from "./html-text.ts";
import type { ParsedFeed, RawEntry } from "./raw-feed.ts";

export { htmlToText } from "./html-text.ts";

export type Identity = "guid" | "link" | "hash";

export interface NormalizedFeed {
  items: FeedItem[];
  /** What identifies this fetch's items; the whole feed switches together. */
  identity: Identity;
  /** Why identity is not "guid", for the log; null when guids are fine. */
  identityReason: string | null;
}

export interface NormalizeOptions {
  /**
   * The identity the last fetch of this feed used. A feed that fell back returns to a stronger
   * identity only when every key is clean, so a feed hovering near the threshold does not flip
   * between guid and link ids (each flip makes every item look new).
   */
  previousIdentity?: Identity | null;
}

/**
 * Above this share of blank or repeated keys the key is not an identity: a CMS that repeats
 * one guid on every item (or none) would otherwise merge distinct stories into one, and a
 * subscriber would never hear of the later ones.
 */
const MAX_BAD_KEY_SHARE = 0.05;

/**
 * Characters of each text field kept for matching, alerts and the recent-item store. Stories
 * are far shorter (10,000 words are about 60,000 characters); a hostile or broken body of
 * megabytes under the fetch limit would otherwise stall the poll worker on every rule.
 */
export const MAX_FIELD_CHARS = 100_000;

const capped = (text: string): string =>
  text.length > MAX_FIELD_CHARS ? text.slice(0, MAX_FIELD_CHARS) : text;

/**
 * Turns parsed entries into FeedItems: stable ids, absolute links, ISO dates, plain text,
 * content hashes; newest first, undated entries after dated ones in document order.
 * `feedUrl` is the URL the document was fetched from (the base for relative links).
 */
export function normalizeEntries(
  feedId: string,
  feedUrl: string,
  parsed: ParsedFeed,
  opts: NormalizeOptions = {},
): NormalizedFeed {
  // Relative links: an explicit xml:base wins (feed, then entry); without one, links are read
  // relative to the site (the channel link), as publishers mean them, then the feed's URL.
  const docBase = resolveBase(parsed.base, feedUrl);
  const siteBase = absolute(parsed.link, docBase ?? feedUrl) ?? feedUrl;
  const drafts = parsed.entries.map((entry, index) => {
    const entryBase = resolveBase(entry.base, docBase ?? feedUrl) ?? docBase ?? siteBase;
    return draft(entry, index, docBase ?? feedUrl, entryBase);
  });
  const { identity, reason } = chooseIdentity(drafts, opts.previousIdentity);
  const items: { item: FeedItem; index: number }[] = [];
  const ids = new Map<string, Draft>();
  for (const d of drafts) {
    let id = keyOf(d, identity);
    const earlier = ids.get(id);
    if (earlier) {
      // The same entry listed twice is one item; two different entries sharing a key (below
      // the fallback threshold) each keep their own id.
      if (earlier.contentHash === d.contentHash && earlier.link === d.link) continue;
      id = `${id}#${shortHash(`${d.title}\n${d.link ?? ""}\n${d.published ?? ""}`)}`;
      if (ids.has(id)) continue;
    }
    ids.set(id, d);
    const { title, link, published, author, categories, text, contentHash } = d;
    const item = { id, feedId, title, link, published, author, categories, text, contentHash };
    items.push({ item, index: d.index });
  }
  return { items: newestFirst(items), identity, identityReason: reason };
}

interface Draft {
  index: number;
  guid: string | null;
  link: string | null;
  title: string;
  published: string | null;
  author: string | null;
  categories: string[];
  text: string;
  contentHash: string;
}

function draft(entry: RawEntry, index: number, feedUrl: string, base: string): Draft {
  const text = capped(htmlToText(entry.html ?? entry.summary ?? ""));
  const rawTitle = entry.title ? capped(htmlToText(entry.title)) : "";
  // An RSS guid is a permalink unless it says otherwise: a feed with guids and no links
  // still gives readers somewhere to click.
  const guidLink = /^https?:\/\//i.test(entry.guid ?? "") ? absolute(entry.guid, feedUrl) : null;
  const link = absolute(entry.link, base) ?? absolute(entry.link, feedUrl) ?? guidLink;
  const title = rawTitle || untitled(text, link);
  return {
    index,
    guid: entry.guid?.trim() || null,
    link,
    title,
    published: isoDate(entry.published),
    author: entry.author ? capped(collapse(decodeEntities(entry.author))) || null : null,
    categories: [...new Set(entry.categories.map((c) => capped(htmlToText(c))).filter(Boolean))],
    text,
    contentHash: sha256(`${title}\n${text}`),
  };
}

function chooseIdentity(
  drafts: Draft[],
  previous: Identity | null | undefined,
): { identity: Identity; reason: string | null } {
  if (drafts.length === 0) return { identity: previous ?? "guid", reason: null };
  // Returning to a stronger identity than last time takes a clean record (hysteresis).
  const guidLimit = previous === "link" || previous === "hash" ? 0 : MAX_BAD_KEY_SHARE;
  const linkLimit = previous === "hash" ? 0 : MAX_BAD_KEY_SHARE;
  const guidBad = badShare(drafts.map((d) => d.guid));
  if (guidBad.share <= guidLimit) return { identity: "guid", reason: null };
  const said =
    guidBad.count === drafts.length && drafts.every((d) => !d.guid)
      ? "the feed has no guids"
      : `${guidBad.count} of ${drafts.length} guids are blank or repeated`;
  const linkBad = badShare(drafts.map((d) => d.link));
  if (linkBad.share <= linkLimit) {
    return { identity: "link", reason: `${said}; items are identified by link` };
  }
  return {
    identity: "hash",
    reason: `${said}, and ${linkBad.count} links too; items are identified by a hash of title and date`,
  };
}

/** How many keys are blank or shared with another entry. */
function badShare(keys: (string | null)[]): { count: number; share: number } {
  const seen = new Map<string, number>();
  for (const k of keys) if (k) seen.set(k, (seen.get(k) ?? 0) + 1);
  const count = keys.filter((k) => !k || (seen.get(k) ?? 0) > 1).length;
  return { count, share: count / keys.length };
}

/** The entry's key under the feed's identity; a missing key falls through to the next kind. */
function keyOf(d: Draft, identity: Identity): string {
  if (identity === "guid" && d.guid) return d.guid;
  if (identity !== "hash" && d.link) return d.link;
  return `hash:${shortHash(`${d.title}\n${d.published ?? ""}`)}`;
}

function newestFirst(items: { item: FeedItem; index: number }[]): FeedItem[] {
  const time = (i: FeedItem) => (i.published ? Date.parse(i.published) : Number.NEGATIVE_INFINITY);
  const byDate = (a: { item: FeedItem }, b: { item: FeedItem }) => time(b.item) - time(a.item);
  return [...items].sort((a, b) => byDate(a, b) || a.index - b.index).map((x) => x.item);
}

/** An absolute http(s) URL, resolved against base; null for other schemes or garbage. */
function absolute(link: string | null | undefined, base: string): string | null {
  if (!link?.trim()) return null;
  try {
    const url = new URL(decodeEntities(link.trim()), base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

function resolveBase(base: string | null | undefined, against: string): string | null {
  if (!base?.trim()) return null;
  try {
    return new URL(base.trim(), against).href;
  } catch {
    return null;
  }
}

function isoDate(value: string | null): string | null {
  if (!value) return null;
  const t = Date.parse(value.trim());
  if (Number.isNaN(t)) return null;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function untitled(text: string, link: string | null): string {
  if (text) return text.length > 100 ? `${text.slice(0, 99).trimEnd()}…` : text;
  return link ?? "(untitled)";
}

function sha256(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

function shortHash(s: string): string {
  return sha256(s).slice(0, 16);
}
