import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { htmlToText } from "../feeds/html-text.ts";

/**
 * The story's text on an article page, as Firefox's Reader View finds it (Readability scores
 * the page's blocks and keeps the article, leaving menus, related links and comments out);
 * null when it finds no article. The DOM is linkedom's: no layout, no scripts run.
 */
export function extractArticle(html: string, url: string): string | null {
  const { document } = parseHTML(html);
  // Readability resolves links against the document's URL; linkedom's has none by default.
  const base = document.createElement("base");
  base.setAttribute("href", url);
  document.head?.prepend(base);
  const dom = document as unknown as ConstructorParameters<typeof Readability>[0];
  // maxElemsToParse: Readability scores every element; a page of more is refused (it throws,
  // and the item keeps the feed's text) rather than stalling the poll.
  const article = new Readability(dom, { charThreshold: 200, maxElemsToParse: 30_000 }).parse();
  // From its HTML, not textContent: block tags must leave a space ("Taji</h1><p>Two" is two words).
  const text = htmlToText(article?.content ?? "");
  return text === "" ? null : text;
}
