import { type Cheerio, type CheerioAPI, load } from "cheerio/slim";
import type { AnyNode, Element } from "domhandler";
import type { PageSelectors } from "../config/schema.ts";
import { FetchError } from "../feeds/fetch-error.ts";
import type { ParsedFeed, RawEntry } from "../feeds/raw-feed.ts";
import { absoluteHttp } from "./discover.ts";
import { newsArticlesIn } from "./json-ld.ts";

/** One story found on a page, before it becomes a feed entry. */
interface PageStory {
  link: string;
  /** HTML of the headline (normalize turns it into text, as for a feed's title). */
  title: string | null;
  date: string | null;
  summary: string | null;
}

const HEADINGS = "h1, h2, h3, h4, h5, h6";
// Site chrome: links in menus, headers and footers are not stories.
const CHROME =
  "nav, header, footer, aside, form, [role=navigation], [role=banner], [role=contentinfo]";

/**
 * Reads a page that has no feed as if it were one. With `select.item`, each element it picks
 * is a story and the other selectors look inside it; without, the stories are found: the
 * page's schema.org NewsArticle JSON-LD, its <article> elements and its repeated headline
 * links. A story's identity is its link; its date is the page's, else `discoveredAt`.
 * Throws FetchError ("layout") when the selectors or the search find nothing.
 */
export function readHtmlPage(
  html: string,
  pageUrl: string,
  select: PageSelectors | undefined,
  discoveredAt: number,
): ParsedFeed {
  const $ = load(html);
  const base = absoluteHttp($("base[href]").attr("href"), pageUrl) ?? pageUrl;
  const stories = select?.item
    ? selectedStories($, select, base)
    : mergeStories([...blockStories($, select ?? {}, base), ...newsArticlesIn($, base)]);
  if (stories.length === 0) {
    throw new FetchError(
      "layout",
      select?.item
        ? `select.item "${select.item}" matched no story with a link on the page`
        : "no stories found on the page (no <article>, repeated headline links or NewsArticle JSON-LD); set select.item and friends (newswatch feeds --preview ID shows what they pick)",
    );
  }
  const fallbackDate = new Date(discoveredAt).toISOString();
  return {
    format: "html",
    title: $("title").first().text().trim(),
    link: pageUrl,
    ttlMinutes: null,
    updatePeriodMinutes: null,
    entries: stories.map((s) => toEntry(s, fallbackDate)),
  };
}

function toEntry(story: PageStory, fallbackDate: string): RawEntry {
  return {
    // Identity from the link: a page has no guids, and its headlines may be reworded.
    guid: story.link,
    link: story.link,
    title: story.title,
    published: validDate(story.date) ?? fallbackDate,
    author: null,
    categories: [],
    html: null,
    summary: story.summary,
  };
}

function selectedStories($: CheerioAPI, select: PageSelectors, base: string): PageStory[] {
  const found: PageStory[] = [];
  $(select.item ?? "").each((_, el) => {
    const story = storyIn($(el), select, base);
    if (story) found.push(story);
  });
  return mergeStories(found);
}

/** Story blocks found without selectors: <article> elements, then repeated headline links. */
function blockStories($: CheerioAPI, select: PageSelectors, base: string): PageStory[] {
  const blocks: Element[] = [];
  $("article").each((_, el) => {
    if ($(el).find("article").length === 0 && $(el).closest(CHROME).length === 0) blocks.push(el);
  });
  const headlineLinks = $(`${HEADINGS}`)
    .filter((_, h) => $(h).closest(CHROME).length === 0 && $(h).closest("article").length === 0)
    .filter((_, h) => linkOf($(h), base) !== null);
  // One headline link is a page's own title; a list of stories repeats the pattern.
  if (headlineLinks.length >= 2)
    headlineLinks.each((_, h) => {
      blocks.push(storyBlock($, h, headlineLinks.toArray()));
    });
  return blocks.map((el) => storyIn($(el), select, base)).filter((s): s is PageStory => s !== null);
}

/**
 * The largest ancestor of a headline that holds no other headline: the story's own block
 * (an <li> or card), where its date and summary are.
 */
function storyBlock($: CheerioAPI, heading: Element, all: Element[]): Element {
  let block: Element = heading;
  for (const parent of $(heading).parents().toArray()) {
    if (parent.tagName === "body" || parent.tagName === "main") break;
    const others = all.filter((h) => h !== heading && $(parent).has(h).length > 0);
    if (others.length > 0) break;
    block = parent;
  }
  return block;
}

function storyIn(block: Cheerio<AnyNode>, select: PageSelectors, base: string): PageStory | null {
  const heading = select.title ? block.find(select.title).first() : block.find(HEADINGS).first();
  const linkScope = select.link
    ? block.find(select.link).first()
    : heading.length
      ? heading
      : block;
  const link = linkOf(linkScope, base) ?? (select.link ? null : linkOf(block, base));
  if (!link) return null;
  const headline = heading.length ? heading : block.find("a[href]").first();
  const dateEl = select.date ? block.find(select.date).first() : block.find("time").first();
  const summaryEl = select.summary ? block.find(select.summary).first() : block.find("p").first();
  return {
    link,
    title: htmlOf(headline),
    date: dateOf(dateEl),
    summary: htmlOf(summaryEl),
  };
}

/** The element's own href (an <a>), or the first link inside it. */
function linkOf(el: Cheerio<AnyNode>, base: string): string | null {
  if (el.length === 0) return null;
  const own = el.is("a[href]") ? el : el.find("a[href]").first();
  const anchor = own.length ? own : el.closest("a[href]");
  const href = anchor.attr("href");
  if (!href || href.startsWith("#") || /^javascript:/i.test(href)) return null;
  const url = absoluteHttp(href, base);
  return url === base ? null : url;
}

/** A date from a <time datetime>, a <meta content>, or the element's text. */
function dateOf(el: Cheerio<AnyNode>): string | null {
  if (el.length === 0) return null;
  return el.attr("datetime") ?? el.attr("content") ?? (el.text().trim() || null);
}

function htmlOf(el: Cheerio<AnyNode>): string | null {
  if (el.length === 0) return null;
  const html = el.html();
  return html?.trim() ? html : null;
}

function validDate(raw: string | null): string | null {
  if (!raw) return null;
  const t = Date.parse(raw.trim());
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** One story per link, in page order; a later sighting only fills what the first lacked. */
function mergeStories(stories: PageStory[]): PageStory[] {
  const byLink = new Map<string, PageStory>();
  for (const s of stories) {
    const first = byLink.get(s.link);
    if (!first) byLink.set(s.link, { ...s });
    else {
      first.title ??= s.title;
      first.date ??= s.date;
      first.summary ??= s.summary;
    }
  }
  return [...byLink.values()];
}
