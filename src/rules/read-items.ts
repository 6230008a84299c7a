import { createHash } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { dropHidden, htmlToText } from "../feeds/html-text.ts";
import { normalizeEntries } from "../feeds/normalize.ts";
import { parseFeed } from "../feeds/parse.ts";
import type { FeedItem } from "../model/item.ts";

const HTML_START = /^<(!doctype\s+html|html|head|body|article|main|div|p|h[1-6])\b/i;

function textItem(feedId: string, id: string, title: string, text: string): FeedItem {
  const contentHash = createHash("sha256").update(`${title}\n${text}`).digest("hex");
  return {
    id,
    feedId,
    title,
    link: null,
    published: null,
    author: null,
    categories: [],
    text,
    contentHash,
  };
}

/**
 * An HTML page as one item: the text of its story, titled by the story's first `<h1>` (the
 * `<title>` often carries the site's name too), else by the `<title>`.
 */
function htmlItem(feedId: string, id: string, html: string): FeedItem {
  const lower = html.toLowerCase();
  const head = element(html, lower, "head");
  const body = dropHidden(head ? html.slice(0, head.start) + html.slice(head.end) : html);
  // A page that is all furniture (or whose furniture is never closed) still says something.
  let story = storyText(body, true);
  if (story.text === "") story = storyText(body, false);
  const title = element(html, lower, "title");
  return textItem(feedId, id, story.h1 || htmlToText(title?.inner ?? ""), story.text);
}

/**
 * The first complete `<name>` element, found with indexOf: a lazy regex would rescan to the
 * end of the page for every unclosed opener (quadratic on hostile input).
 */
function element(
  html: string,
  lower: string,
  name: string,
): { start: number; end: number; inner: string } | null {
  const open = new RegExp(`<${name}[\\s>]`).exec(lower);
  if (!open) return null;
  const innerStart = lower.indexOf(">", open.index) + 1;
  const close = lower.indexOf(`</${name}`, innerStart);
  if (close < 0) return null;
  const end = lower.indexOf(">", close);
  return {
    start: open.index,
    end: end < 0 ? lower.length : end + 1,
    inner: html.slice(innerStart, close),
  };
}

// Page furniture, not the story: menus, the site's header and footer, sidebars, forms.
const FURNITURE = new Set(["nav", "aside", "form", "header", "footer"]);
// Inside these, a header or footer is the story's own (headline, standfirst, byline): kept.
const STORY = new Set(["article", "main"]);
// Tags that end a line: the words on either side are not one phrase, nor one sentence.
const BLOCK = new Set(
  "p div br hr li ul ol dl dt dd h1 h2 h3 h4 h5 h6 blockquote pre table caption tr td th thead tbody tfoot section figure figcaption address details summary body".split(
    " ",
  ),
);
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^<>]*>/g;

/**
 * The text of a page's body, one line per block element (so `suggest` never reads the end of
 * one paragraph and the start of the next as one name), leaving out furniture when asked, and
 * its first `<h1>`. One pass over the tags; script, style and comments are already gone.
 */
function storyText(body: string, skipFurniture: boolean): { text: string; h1: string } {
  const lines: string[] = [];
  let h1 = "";
  let line = "";
  let pos = 0;
  let skipping = 0;
  let story = 0;
  for (const m of body.matchAll(TAG)) {
    if (skipping === 0) line += body.slice(pos, m.index);
    pos = m.index + m[0].length;
    const closing = m[1] === "/";
    const name = (m[2] as string).toLowerCase();
    const furniture = skipFurniture && FURNITURE.has(name) && !m[0].endsWith("/>");
    if (skipping > 0) {
      if (furniture) skipping += closing ? -1 : 1;
      continue;
    }
    if (furniture && !closing && !(story > 0 && (name === "header" || name === "footer"))) {
      skipping = 1;
    } else if (STORY.has(name) || FURNITURE.has(name) || BLOCK.has(name)) {
      if (STORY.has(name)) story = Math.max(0, story + (closing ? -1 : 1));
      const text = htmlToText(line);
      if (name === "h1" && closing && h1 === "") h1 = text;
      lines.push(text);
      line = "";
    } else {
      line += m[0];
    }
  }
  if (skipping === 0) line += body.slice(pos);
  lines.push(htmlToText(line));
  return { text: lines.filter((l) => l !== "").join("\n"), h1 };
}

/**
 * Reads the items of one input as `match` and `suggest` see it: a feed document (RSS, Atom,
 * RDF, JSON Feed) gives its entries; an HTML page or a plain text file is one item (text:
 * first line the title, the rest the content). The feed id is the file name without extension.
 */
export async function readItems(body: string, name: string): Promise<FeedItem[]> {
  const feedId = path.basename(name).replace(/\.[^.]*$/, "") || "stdin";
  const text = body.replace(/^\ufeff/, "");
  const start = text.trimStart();
  if (HTML_START.test(start)) return [htmlItem(feedId, name, text)];
  if (start.startsWith("<") || start.startsWith("{")) {
    // Throws FetchError with a readable message when it is XML/JSON but not a feed.
    const parsed = await parseFeed(text);
    const url = name === "-" ? "file:///dev/stdin" : pathToFileURL(path.resolve(name)).href;
    return normalizeEntries(feedId, url, parsed).items;
  }
  const newline = text.indexOf("\n");
  const title = (newline < 0 ? text : text.slice(0, newline)).trim();
  const content = newline < 0 ? "" : text.slice(newline + 1).trim();
  return [textItem(feedId, name, title, content)];
}
