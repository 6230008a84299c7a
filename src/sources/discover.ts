import { load } from "cheerio/slim";

/** A feed a page names in its head: `<link rel="alternate" type="application/rss+xml" href>`. */
export interface DiscoveredFeed {
  url: string;
  format: "rss" | "atom" | "json" | "rdf";
  title: string;
}

const FEED_TYPES: Record<string, DiscoveredFeed["format"]> = {
  "application/rss+xml": "rss",
  "application/atom+xml": "atom",
  "application/feed+json": "json",
  // JSON Feed 1.0 pages announced it as plain JSON; with rel=alternate that still means a feed.
  "application/json": "json",
  "application/rdf+xml": "rdf",
};

export interface PageLinks {
  feeds: DiscoveredFeed[];
  /** WebSub hubs the page or feed advertises (`<link rel="hub">`, W3C WebSub §4). */
  hubs: string[];
  /** The topic URL it gives for push (`<link rel="self">`), if any. */
  self: string | null;
}

/**
 * The feeds an HTML page advertises (the RSS autodiscovery convention, as browsers and feed
 * readers follow it), resolved against the page URL, in document order, duplicates dropped.
 */
export function discoverFeeds(html: string, pageUrl: string): PageLinks {
  const $ = load(html);
  const base = documentBase($("base[href]").attr("href"), pageUrl);
  const feeds: DiscoveredFeed[] = [];
  const seen = new Set<string>();
  $("link[rel][href]").each((_, el) => {
    const rel = relTokens($(el).attr("rel"));
    if (!rel.includes("alternate") && !rel.includes("feed")) return;
    const type = ($(el).attr("type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    const format = FEED_TYPES[type];
    const url = absoluteHttp($(el).attr("href"), base);
    if (!format || !url || seen.has(url)) return;
    seen.add(url);
    feeds.push({ url, format, title: ($(el).attr("title") ?? "").trim() });
  });
  return { feeds, ...hubLinks(html, pageUrl) };
}

/**
 * WebSub discovery in an HTML page or an XML feed: `<link rel="hub" href>` and
 * `<link rel="self" href>` (Atom, and RSS through atom:link). Read with the HTML parser in
 * XML mode, so prefixes such as atom:link are kept as written.
 */
export function hubLinks(text: string, url: string): { hubs: string[]; self: string | null } {
  const $ = load(text, { xml: { xmlMode: true, decodeEntities: true } });
  const hubs: string[] = [];
  let self: string | null = null;
  $("link, atom\\:link, atom10\\:link").each((_, el) => {
    const rel = relTokens($(el).attr("rel"));
    const href = absoluteHttp($(el).attr("href"), url);
    if (!href) return;
    if (rel.includes("hub") && !hubs.includes(href)) hubs.push(href);
    if (rel.includes("self") && self === null) self = href;
  });
  return { hubs, self };
}

/** JSON Feed's own way of naming hubs: `"hubs": [{ "type": "WebSub", "url": ... }]` (1.1). */
export function jsonFeedHubs(text: string, url: string): { hubs: string[]; self: string | null } {
  let doc: { hubs?: unknown; feed_url?: unknown };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch {
    return { hubs: [], self: null };
  }
  const hubs = (Array.isArray(doc.hubs) ? doc.hubs : [])
    .filter((h) => /^websub$/i.test(String((h as { type?: unknown })?.type ?? "")))
    .map((h) => absoluteHttp(String((h as { url?: unknown }).url ?? ""), url))
    .filter((h): h is string => h !== null);
  const self = typeof doc.feed_url === "string" ? absoluteHttp(doc.feed_url, url) : null;
  return { hubs, self };
}

/**
 * The feed to poll: a page's first feed is its main one by convention (comment feeds and
 * category feeds come after it); a feed titled as comments is taken only when nothing else is.
 */
export function bestFeed(feeds: readonly DiscoveredFeed[]): DiscoveredFeed | null {
  const main = feeds.filter((f) => !/comment/i.test(f.title) && !/comments?\b/i.test(f.url));
  return main[0] ?? feeds[0] ?? null;
}

function relTokens(rel: string | undefined): string[] {
  return (rel ?? "").toLowerCase().split(/\s+/).filter(Boolean);
}

function documentBase(href: string | undefined, pageUrl: string): string {
  return absoluteHttp(href, pageUrl) ?? pageUrl;
}

/** An absolute http(s) URL, or null for other schemes and garbage. */
export function absoluteHttp(href: string | undefined | null, base: string): string | null {
  if (!href?.trim()) return null;
  try {
    const url = new URL(href.trim(), base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}
