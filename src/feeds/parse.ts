import Parser from "rss-parser";
import { FetchError } from "./fetch-error.ts";
import { parseJsonFeed } from "./json-feed.ts";
import type { ParsedFeed, RawEntry } from "./raw-feed.ts";
import { refuseEntityDeclarations, repairReferences } from "./xml-guard.ts";

export type { ParsedFeed, RawEntry } from "./raw-feed.ts";

type Item = Record<string, unknown>;

const parser = new Parser<Item, Item>({
  customFields: {
    feed: ["sy:updatePeriod", "sy:updateFrequency", "ttl"] as never[],
    item: [
      ["category", "nwCategories", { keepArray: true }],
      ["dc:subject", "nwSubjects", { keepArray: true }],
      ["description", "nwDescription"],
      ["author", "nwAuthor"],
      ["dc:author", "nwDcAuthor"],
    ] as never[],
  },
});

/**
 * Parses a feed document: RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom through rss-parser's
 * parseString, JSON Feed through our own reader. Throws FetchError: "not-a-feed" for an HTML
 * page or any other kind of document, "parse" for a broken or hostile feed.
 */
export async function parseFeed(
  body: string,
  opts: { contentType?: string } = {},
): Promise<ParsedFeed> {
  const text = body.replace(/^\ufeff/, "").trimStart();
  if (text.startsWith("{") || (/json/i.test(opts.contentType ?? "") && !text.startsWith("<"))) {
    return parseJsonFeed(text);
  }
  const format = xmlFormat(text);
  if (!format && looksLikeHtml(text)) {
    throw new FetchError(
      "not-a-feed",
      'the URL returned an HTML page, not a feed (look for a <link rel="alternate"> feed URL on it)',
    );
  }
  if (!text.startsWith("<"))
    throw new FetchError("not-a-feed", "the response is neither XML nor JSON");
  refuseEntityDeclarations(text);
  if (!format)
    throw new FetchError(
      "not-a-feed",
      `an XML document that is not RSS, RDF or Atom (root <${rootName(text)}>)`,
    );
  // rss-parser fails on an <rss> or RDF document without a <channel>; it is a feed with nothing in it.
  if (format !== "atom" && !/<channel[\s>/]/.test(text)) return emptyFeed(format);
  let out: Parser.Output<Item>;
  try {
    const prepared =
      format === "atom" ? blankBadAtomDates(xhtmlAsHtml(text)) : asRss2IfUnversioned(text, format);
    out = await parser.parseString(repairReferences(prepared));
  } catch (cause) {
    throw new FetchError("parse", `malformed ${format.toUpperCase()} feed: ${firstLine(cause)}`, {
      cause,
    });
  }
  const feed = out as Parser.Output<Item> & Item;
  return {
    format,
    title: str(feed.title) ?? "",
    link: str(feed.link) ?? null,
    ttlMinutes: positive(feed.ttl),
    updatePeriodMinutes: updatePeriod(feed["sy:updatePeriod"], feed["sy:updateFrequency"]),
    entries: (out.items ?? []).map((item) => toEntry(item, format)),
  };
}

function emptyFeed(format: ParsedFeed["format"]): ParsedFeed {
  return {
    format,
    title: "",
    link: null,
    ttlMinutes: null,
    updatePeriodMinutes: null,
    entries: [],
  };
}

function toEntry(item: Item, format: ParsedFeed["format"]): RawEntry {
  const encoded = str(item["content:encoded"]);
  const content = str(item.content);
  // rss-parser puts an RSS <description> in `content`; Atom keeps <content> and <summary> apart.
  const html = format === "atom" ? content : (encoded ?? null);
  const summary =
    format === "atom" ? str(item.summary) : (str(item.nwDescription) ?? content ?? null);
  return {
    guid: str(item.guid) ?? str(item.id) ?? str(item["rdf:about"]) ?? null,
    link: str(item.link) ?? null,
    title: str(item.title) ?? null,
    published: str(item.isoDate) ?? str(item.pubDate) ?? str(item.date) ?? null,
    author:
      str(item.creator) ?? str(item.author) ?? str(item.nwAuthor) ?? str(item.nwDcAuthor) ?? null,
    categories: categories(item),
    html: html ?? null,
    summary: summary ?? null,
  };
}

function categories(item: Item): string[] {
  const raw = [
    ...(Array.isArray(item.categories) ? item.categories : []),
    ...(Array.isArray(item.nwCategories) && !Array.isArray(item.categories)
      ? item.nwCategories
      : []),
    ...(Array.isArray(item.nwSubjects) ? item.nwSubjects : []),
  ];
  const names = raw
    .map((c) => str(c) ?? str((c as { $?: { term?: unknown } })?.$?.term))
    .filter((c): c is string => !!c);
  return [...new Set(names.map((c) => c.trim()).filter(Boolean))];
}

/** A string from whatever xml2js produced: a string, {_: text}, or nothing usable. */
function str(v: unknown): string | undefined {
  if (typeof v === "string") return v.trim() === "" ? undefined : v;
  if (typeof v === "number") return String(v);
  if (v && typeof v === "object" && "_" in v) return str((v as { _: unknown })._);
  if (Array.isArray(v)) return str(v[0]);
  return undefined;
}

function positive(v: unknown): number | null {
  const n = Number(str(v));
  return Number.isFinite(n) && n > 0 ? n : null;
}

const PERIOD_MINUTES: Record<string, number> = {
  hourly: 60,
  daily: 1440,
  weekly: 10080,
  monthly: 43200,
  yearly: 525600,
};

function updatePeriod(period: unknown, frequency: unknown): number | null {
  const minutes = PERIOD_MINUTES[(str(period) ?? "").trim().toLowerCase()];
  if (!minutes) return null;
  const f = positive(frequency) ?? 1;
  return minutes / f;
}

/** Called only when the root is not a feed element, so an <rss> with an HTML DOCTYPE is a feed. */
function looksLikeHtml(text: string): boolean {
  if (/<!doctype\s+html/i.test(text.slice(0, 4096))) return true;
  const root = rootName(text).toLowerCase();
  return root === "html" || root === "head" || root === "body";
}

function xmlFormat(text: string): ParsedFeed["format"] | null {
  const root = rootName(text);
  if (root === "rss") return "rss";
  if (root === "feed") return "atom";
  if (/^(rdf:)?RDF$/i.test(root) || root.endsWith(":RDF")) return "rdf";
  return null;
}

/** The first element's name, skipping the declaration, comments, PIs and the DOCTYPE. */
function rootName(text: string): string {
  const m = /<([A-Za-z_][\w.:-]*)/.exec(
    text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>/gi, ""),
  );
  return m?.[1] ?? "";
}

/**
 * rss-parser only reads <rss> with a version attribute; "<rss>" alone (common in hand-made
 * feeds) is read as RSS 2.0, which is a superset of what such feeds contain.
 */
function asRss2IfUnversioned(text: string, format: ParsedFeed["format"]): string {
  if (format !== "rss" || /<rss\b[^>]*\sversion\s*=/.test(text)) return text;
  return text.replace(/<rss\b/, '<rss version="2.0"');
}

/**
 * Atom xhtml content is markup inline in the feed. rss-parser rebuilds it from xml2js's object
 * tree, which loses the order of text and elements ("moved <b>far</b> east" comes back as
 * "moved east<b>far</b>"). Handing it over as escaped HTML keeps the text as written.
 */
function xhtmlAsHtml(text: string): string {
  return text.replace(
    /<(content|summary|title)(\s[^>]*?)type\s*=\s*["']xhtml["']([^>]*)>([\s\S]*?)<\/\1\s*>/g,
    (_m, tag: string, before: string, after: string, inner: string) =>
      `<${tag}${before}type="html"${after}><![CDATA[${inner.replaceAll("]]>", "]]]]><![CDATA[>")}]]></${tag}>`,
  );
}

/**
 * rss-parser turns Atom <published>/<updated> into ISO strings without a guard, so one
 * unparsable date would fail the whole feed. Emptying it loses only that entry's date.
 */
function blankBadAtomDates(text: string): string {
  return text.replace(/<(published|updated)>([^<]*)<\/\1>/g, (whole, tag: string, value: string) =>
    Number.isNaN(Date.parse(value.trim())) ? `<${tag}></${tag}>` : whole,
  );
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split("\n")[0] ?? "";
}
