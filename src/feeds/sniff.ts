import { endOf } from "./scan.ts";

export type XmlFeedFormat = "rss" | "atom" | "rdf";

/** The document's first element: its name and the text of its start tag. */
export interface RootElement {
  name: string;
  /** The start tag as written, e.g. `<rss version="2.0">`. */
  tag: string;
}

/**
 * Finds the first element, skipping the XML declaration, processing instructions, comments,
 * the DOCTYPE (with its internal subset) and stray text. Linear: each construct is skipped
 * with one indexOf, so hostile input such as a megabyte of "<?" costs one pass.
 */
export function rootElement(text: string): RootElement | null {
  let pos = 0;
  while (pos < text.length) {
    const lt = text.indexOf("<", pos);
    if (lt < 0) return null;
    let end: number;
    if (text.startsWith("<?", lt)) end = endOf(text, lt + 2, "?>");
    else if (text.startsWith("<!--", lt)) end = endOf(text, lt + 4, "-->");
    else if (/^<!doctype/i.test(text.slice(lt, lt + 9))) end = doctypeEnd(text, lt);
    else {
      const name = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(lt, lt + 256))?.[1];
      if (name) {
        const close = text.indexOf(">", lt);
        return { name, tag: text.slice(lt, close < 0 ? lt + 256 : close + 1) };
      }
      end = lt + 1;
    }
    if (end < 0) return null;
    pos = end;
  }
  return null;
}

function doctypeEnd(text: string, start: number): number {
  const close = text.indexOf(">", start);
  const open = text.indexOf("[", start);
  if (open < 0 || (close >= 0 && close < open)) return close < 0 ? -1 : close + 1;
  const subsetEnd = endOf(text, open, "]");
  return subsetEnd < 0 ? -1 : endOf(text, subsetEnd, ">");
}

export function feedFormat(root: RootElement | null): XmlFeedFormat | null {
  const name = root?.name ?? "";
  if (name === "rss") return "rss";
  if (name === "feed" || name.endsWith(":feed")) return "atom";
  if (name === "RDF" || name.endsWith(":RDF")) return "rdf";
  return null;
}

/** Asked only when the root is not a feed element, so an <rss> with an HTML DOCTYPE is a feed. */
export function looksLikeHtml(text: string, root: RootElement | null): boolean {
  if (/<!doctype\s+html/i.test(text.slice(0, 4096))) return true;
  const name = root?.name.toLowerCase();
  return name === "html" || name === "head" || name === "body";
}
