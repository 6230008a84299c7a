import { createHash } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { htmlToText } from "../feeds/html-text.ts";
import type { FeedItem } from "../feeds/item.ts";
import { normalizeEntries } from "../feeds/normalize.ts";
import { parseFeed } from "../feeds/parse.ts";

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

/** The `<title>` (else first heading) of an HTML page, and its text without the head. */
function htmlItem(feedId: string, id: string, html: string): FeedItem {
  const heading = /<title[^>]*>([\s\S]*?)<\/title>|<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(html);
  const title = heading ? htmlToText(heading[1] ?? heading[2] ?? "") : "";
  const body = html.replace(/<head[\s\S]*?<\/head>/i, " ");
  return textItem(feedId, id, title, htmlToText(body));
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
