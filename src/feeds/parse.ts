import { createRequire } from "node:module";
import type Parser from "rss-parser";
import { keepFirstEntries } from "./entry-limit.ts";
import { FetchError } from "./fetch-error.ts";
import { htmlToText } from "./html-text.ts";
import { parseJsonFeed } from "./json-feed.ts";
import type { ParsedFeed, RawEntry } from "./raw-feed.ts";
import { feedFormat, looksLikeHtml, rootElement } from "./sniff.ts";
import { refuseEntityDeclarations, repairReferences } from "./xml-guard.ts";
import {
  asRss2IfUnversioned,
  blankBadAtomDates,
  rawHtmlAsCdata,
  xhtmlAsHtml,
} from "./xml-prepare.ts";

export type { ParsedFeed, RawEntry } from "./raw-feed.ts";

type Item = Record<string, unknown>;

let parser: Parser<Item, Item> | null = null;

/**
 * rss-parser (with xml2js) is loaded on the first document to parse: a scheduler, or a
 * run-once whose feeds all answer 304, never needs it.
 */
function rssParser(): Parser<Item, Item> {
  if (parser) return parser;
  const RssParser = createRequire(import.meta.url)("rss-parser") as typeof Parser;
  parser = new RssParser<Item, Item>({
    customFields: {
      feed: [
        "sy:updatePeriod",
        "sy:updateFrequency",
        "ttl",
        ["$", "nwAttrs", { keepArray: true }],
      ] as never[],
      item: [
        ["category", "nwCategories", { keepArray: true }],
        ["dc:subject", "nwSubjects", { keepArray: true }],
        ["description", "nwDescription"],
        ["author", "nwAuthor"],
        ["dc:author", "nwDcAuthor"],
        ["$", "nwAttrs", { keepArray: true }],
      ] as never[],
    },
  });
  return parser;
}

/**
 * Parses a feed document: RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom through rss-parser's
 * parseString, JSON Feed through our own reader. Throws FetchError: "not-a-feed" for an HTML
 * page or any other kind of document, "parse" for a broken or hostile feed.
 */
export async function parseFeed(
  body: string,
  opts: { contentType?: string; maxEntries?: number } = {},
): Promise<ParsedFeed> {
  let text = body.replace(/^\ufeff/, "").trimStart();
  if (text.startsWith("{") || (/json/i.test(opts.contentType ?? "") && !text.startsWith("<"))) {
    const json = parseJsonFeed(text);
    return opts.maxEntries ? { ...json, entries: json.entries.slice(0, opts.maxEntries) } : json;
  }
  let root = rootElement(text);
  let format = feedFormat(root);
  // PHP notices and BOM-like junk printed before the document: start at the XML declaration.
  const declaration = format ? -1 : text.indexOf("<?xml");
  if (declaration > 0) {
    text = text.slice(declaration);
    root = rootElement(text);
    format = feedFormat(root);
  }
  if (!format && looksLikeHtml(text, root)) {
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
      `an XML document that is not RSS, RDF or Atom (root <${root?.name ?? "none"}>)`,
    );
  // rss-parser fails on an <rss> or RDF document without a <channel>; it is a feed with nothing in it.
  if (format !== "atom" && !/<channel[\s>/]/.test(text)) return emptyFeed(format);
  if (!root) return emptyFeed(format); // unreachable: a format implies a root
  if (opts.maxEntries) text = keepFirstEntries(text, format, root.name, opts.maxEntries).text;
  let out: Parser.Output<Item>;
  try {
    const prepared =
      format === "atom"
        ? blankBadAtomDates(xhtmlAsHtml(text))
        : format === "rss"
          ? rawHtmlAsCdata(asRss2IfUnversioned(text, root))
          : rawHtmlAsCdata(text);
    out = await rssParser().parseString(repairReferences(prepared));
  } catch (cause) {
    throw new FetchError("parse", `malformed ${format.toUpperCase()} feed: ${firstLine(cause)}`, {
      cause,
    });
  }
  const feed = out as Parser.Output<Item> & Item;
  return {
    format,
    title: htmlToText(str(feed.title) ?? ""),
    link: str(feed.link) ?? null,
    ttlMinutes: positive(feed.ttl),
    updatePeriodMinutes: updatePeriod(feed["sy:updatePeriod"], feed["sy:updateFrequency"]),
    base: xmlBase(feed),
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
    base: xmlBase(item),
    html: html ?? null,
    summary: summary ?? null,
  };
}

/** The element's xml:base attribute (Atom's way of making relative links relative to something). */
function xmlBase(element: Item): string | null {
  const attrs = element.nwAttrs as Record<string, unknown> | undefined;
  return str(attrs?.["xml:base"]) ?? null;
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

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split("\n")[0] ?? "";
}
