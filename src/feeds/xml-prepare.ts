import { endOf } from "./scan.ts";
import type { RootElement } from "./sniff.ts";

/**
 * rss-parser only reads <rss> with a version attribute; "<rss>" alone (common in hand-made
 * feeds) is read as RSS 2.0, which is a superset of what such feeds contain.
 */
export function asRss2IfUnversioned(text: string, root: RootElement): string {
  if (/\sversion\s*=/.test(root.tag)) return text;
  const at = text.indexOf(root.tag);
  return `${text.slice(0, at)}<rss version="2.0"${text.slice(at + 4)}`;
}

const XHTML_OPENER = /<(content|summary|title)(\s[^<>]*?)type\s*=\s*["']xhtml["']([^<>]*)>/g;

/**
 * Atom xhtml content is markup inline in the feed. rss-parser rebuilds it from xml2js's object
 * tree, which loses the order of text and elements ("moved <b>far</b> east" comes back as
 * "moved east<b>far</b>"). Handing it over as escaped HTML keeps the text as written.
 */
export function xhtmlAsHtml(text: string): string {
  let out = "";
  let pos = 0;
  XHTML_OPENER.lastIndex = 0;
  for (let m = XHTML_OPENER.exec(text); m; m = XHTML_OPENER.exec(text)) {
    const [opener, tag, before, after] = m;
    const innerStart = m.index + opener.length;
    const closeAt = text.indexOf(`</${tag}`, innerStart);
    const end = closeAt < 0 ? -1 : endOf(text, closeAt, ">");
    if (end < 0) break; // unclosed: the parser will report it
    const inner = text.slice(innerStart, closeAt).replaceAll("]]>", "]]]]><![CDATA[>");
    out += `${text.slice(pos, m.index)}<${tag}${before}type="html"${after}><![CDATA[${inner}]]></${tag}>`;
    pos = end;
    XHTML_OPENER.lastIndex = end;
  }
  return out + text.slice(pos);
}

/**
 * rss-parser turns Atom <published>/<updated> into ISO strings without a guard, so one
 * unparsable date would fail the whole feed. Emptying it loses only that entry's date.
 */
export function blankBadAtomDates(text: string): string {
  return text.replace(/<(published|updated)>([^<]*)<\/\1>/g, (whole, tag: string, value: string) =>
    Number.isNaN(Date.parse(value.trim())) ? `<${tag}></${tag}>` : whole,
  );
}

const RSS_HTML_OPENER = /<(description|content:encoded)(\s[^<>]*)?>/g;

/**
 * Some RSS feeds put raw HTML elements in <description> or <content:encoded> instead of
 * escaping them or using CDATA. xml2js would turn that HTML into an object tree and lose the
 * order of its text, so such content is wrapped in CDATA first. Content that is only text and
 * character references is left alone: wrapping it would show "&lt;p&gt;" as a tag.
 */
export function rawHtmlAsCdata(text: string): string {
  let out = "";
  let pos = 0;
  RSS_HTML_OPENER.lastIndex = 0;
  for (let m = RSS_HTML_OPENER.exec(text); m; m = RSS_HTML_OPENER.exec(text)) {
    const [opener, tag] = m;
    const innerStart = m.index + opener.length;
    const closeAt = text.indexOf(`</${tag}>`, innerStart);
    if (closeAt < 0) break; // unclosed: the parser will report it
    const inner = text.slice(innerStart, closeAt);
    RSS_HTML_OPENER.lastIndex = closeAt;
    if (inner.includes("<![CDATA[") || !/<[A-Za-z]/.test(inner)) continue;
    const safe = inner.replaceAll("]]>", "]]]]><![CDATA[>");
    out += `${text.slice(pos, innerStart)}<![CDATA[${safe}]]>`;
    pos = closeAt;
  }
  return out + text.slice(pos);
}
