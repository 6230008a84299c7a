import type { CheerioAPI } from "cheerio/slim";
import { absoluteHttp } from "./discover.ts";

/** A story described in schema.org JSON-LD (NewsArticle and its kin). */
export interface LinkedStory {
  link: string;
  title: string | null;
  date: string | null;
  summary: string | null;
}

const ARTICLE_TYPES = new Set([
  "NewsArticle",
  "Article",
  "ReportageNewsArticle",
  "AnalysisNewsArticle",
  "BlogPosting",
  "LiveBlogPosting",
]);

/** Nesting followed into @graph, itemListElement and the like; deeper is not a page's list. */
const MAX_DEPTH = 6;
/** As many stories as a page yields at most (html-page's MAX_STORIES_PER_PAGE). */
const MAX_ARTICLES = 1000;

/**
 * Every NewsArticle (or kin) with a URL in the page's `<script type="application/ld+json">`
 * blocks, including those inside @graph and ItemList. Blocks that are not valid JSON are
 * skipped: a broken block is the site's mistake, not a reason to lose the rest.
 */
export function newsArticlesIn($: CheerioAPI, base: string): LinkedStory[] {
  const out: LinkedStory[] = [];
  $('script[type="application/ld+json"]').each((_, el) => {
    let data: unknown;
    try {
      data = JSON.parse($(el).text());
    } catch {
      return;
    }
    collect(data, base, out, 0);
  });
  return out;
}

function collect(node: unknown, base: string, out: LinkedStory[], depth: number): void {
  if (depth > MAX_DEPTH || out.length >= MAX_ARTICLES) return;
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const n of node) collect(n, base, out, depth + 1);
    return;
  }
  const obj = node as Record<string, unknown>;
  if (isArticle(obj["@type"])) {
    const link = absoluteHttp(text(obj.url) ?? idOf(obj.mainEntityOfPage), base);
    if (link)
      out.push({
        link,
        title: escapeHtml(text(obj.headline) ?? text(obj.name)),
        date: text(obj.datePublished) ?? text(obj.dateModified),
        summary: escapeHtml(text(obj.description)),
      });
    return;
  }
  for (const key of ["@graph", "itemListElement", "item", "mainEntity", "hasPart"])
    if (key in obj) collect(obj[key], base, out, depth + 1);
}

function isArticle(type: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => typeof t === "string" && ARTICLE_TYPES.has(t));
}

function text(v: unknown): string | null {
  return typeof v === "string" && v.trim() ? v.trim() : null;
}

function idOf(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (v && typeof v === "object") return text((v as Record<string, unknown>)["@id"]);
  return null;
}

/** JSON-LD values are plain text; the entry fields they fill are read as HTML. */
function escapeHtml(s: string | null): string | null {
  return s === null ? null : s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
