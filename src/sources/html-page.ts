import { type Cheerio, type CheerioAPI, load } from "cheerio/slim";
import type { AnyNode, Element } from "domhandler";
import type { PageSelectors } from "../config/schema.ts";
import { FetchError } from "../feeds/fetch-error.ts";
import type { ParsedFeed, RawEntry } from "../feeds/raw-feed.ts";
import { absoluteHttp } from "./discover.ts";
import { closestAncestor, firstDescendant, isElement } from "./dom-walk.ts";
import { newsArticlesIn } from "./json-ld.ts";

/** One story found on a page, before it becomes a feed entry. */
interface PageStory {
  link: string;
  /** HTML of the headline (normalize turns it into text, as for a feed's title). */
  title: string | null;
  date: string | null;
  summary: string | null;
}

const HEADINGS = new Set(["h1", "h2", "h3", "h4", "h5", "h6"]);
// Site chrome: links in menus, headers and footers are not stories.
const CHROME =
  "nav, header, footer, aside, form, [role=navigation], [role=banner], [role=contentinfo]";
/**
 * Stories read from one page at most. News lists show tens; a page of thousands of links is
 * an archive or a hostile document, and its newest stories come first.
 */
export const MAX_STORIES_PER_PAGE = 1000;

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
  $(select.item ?? "")
    .slice(0, MAX_STORIES_PER_PAGE)
    .each((_, el) => {
      const story = isElement(el) ? storyIn($, el, select, base) : null;
      if (story) found.push(story);
    });
  return mergeStories(found);
}

/** Story blocks found without selectors: <article> elements, then repeated headline links. */
function blockStories($: CheerioAPI, select: PageSelectors, base: string): PageStory[] {
  const chrome = new Set<AnyNode>($(CHROME).toArray());
  const outside = (el: AnyNode) =>
    !chrome.has(el) &&
    closestAncestor(el, (p) => chrome.has(p) || p.tagName === "article") === null;
  const blocks: Element[] = $("article")
    .toArray()
    .filter(isElement)
    .filter((el) => outside(el) && firstDescendant(el, (d) => d.tagName === "article") === null);
  const headlines = $([...HEADINGS].join(","))
    .toArray()
    .filter(isElement)
    .filter((h) => outside(h) && anchorOf(h) !== null);
  // One headline link is a page's own title; a list of stories repeats the pattern.
  if (headlines.length >= 2) blocks.push(...storyBlocks(headlines));
  return blocks
    .slice(0, MAX_STORIES_PER_PAGE)
    .map((el) => storyIn($, el, select, base))
    .filter((s): s is PageStory => s !== null);
}

/**
 * Each headline's story block (its <li> or card, where its date and summary are): the
 * largest ancestor that holds no other headline. Counting headlines per ancestor first keeps
 * this linear in headlines times depth; a page of thousands of headlines must not cost their
 * square.
 */
function storyBlocks(headlines: Element[]): Element[] {
  const count = new Map<unknown, number>();
  for (const h of headlines)
    for (let p = h.parent; p && p.type !== "root"; p = p.parent)
      count.set(p, (count.get(p) ?? 0) + 1);
  return headlines.map((h) => {
    let block: Element = h;
    for (let p = h.parent; p && p.type !== "root"; p = p.parent) {
      const el = p as Element;
      if (el.tagName === "body" || el.tagName === "main" || (count.get(p) ?? 0) > 1) break;
      block = el;
    }
    return block;
  });
}

function storyIn(
  $: CheerioAPI,
  block: Element,
  select: PageSelectors,
  base: string,
): PageStory | null {
  const within = (selector: string | undefined, fallback: (el: Element) => boolean) =>
    selector ? ($(block).find(selector).get(0) ?? null) : firstDescendant(block, fallback);
  const heading = within(select.title, (el) => HEADINGS.has(el.tagName));
  const linkScope = select.link ? within(select.link, () => false) : (heading ?? block);
  const anchor = (linkScope && anchorOf(linkScope)) ?? (select.link ? null : anchorOf(block));
  const link = anchor ? storyLink(anchor, base) : null;
  if (!link) return null;
  const headline = heading ?? anchor;
  return {
    link,
    title: headline ? htmlOf($(headline)) : null,
    date: dateOf(
      within(select.date, (el) => el.tagName === "time"),
      $,
    ),
    summary: htmlOfNode(
      $,
      within(select.summary, (el) => el.tagName === "p"),
    ),
  };
}

/** The element itself when it is a link, else the first link inside it, else the one around it. */
function anchorOf(el: Element): Element | null {
  const isLink = (e: Element) => e.tagName === "a" && e.attribs.href !== undefined;
  if (isLink(el)) return el;
  return firstDescendant(el, isLink) ?? closestAncestor(el, isLink);
}

function storyLink(anchor: Element, base: string): string | null {
  const href = anchor.attribs.href;
  if (!href || href.startsWith("#") || /^javascript:/i.test(href)) return null;
  const url = absoluteHttp(href, base);
  return url === base ? null : url;
}

/** A date from a <time datetime>, a <meta content>, or the element's text. */
function dateOf(node: Element | null, $: CheerioAPI): string | null {
  if (!node) return null;
  return node.attribs.datetime ?? node.attribs.content ?? ($(node).text().trim() || null);
}

function htmlOfNode($: CheerioAPI, node: Element | null): string | null {
  return node ? htmlOf($(node)) : null;
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
