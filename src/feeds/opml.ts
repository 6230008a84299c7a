import { ALLOWED_PROTOCOLS } from "../net/address-policy.ts";
import { FetchError } from "./fetch-error.ts";
import { collapse, decodeEntities } from "./html-text.ts";

/** A subscription as the config's `feeds:` list holds it. */
export interface FeedEntry {
  id: string;
  url: string;
  title?: string;
}

export interface OpmlImport {
  entries: FeedEntry[];
  /** Outlines left out, each with the reason, for the user to see. */
  skipped: { url: string; reason: string }[];
}

const OUTLINE = /<outline\b((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/gi;
const ATTRIBUTE = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/**
 * Reads the feed subscriptions of an OPML document (every <outline> with an xmlUrl, at any
 * depth: readers nest them in folders). Ids are slugs of the title, made unique against
 * `takenIds` and each other; URLs in `knownUrls` (already subscribed) and repeats are skipped.
 * OPML is read with a small attribute scanner, not an XML parser: it never expands entities.
 */
export function readOpml(
  xml: string,
  takenIds: Iterable<string> = [],
  knownUrls: Iterable<string> = [],
): OpmlImport {
  if (!/<opml[\s>]/i.test(xml))
    throw new FetchError("not-a-feed", "not an OPML document (no <opml> element)");
  const ids = new Set([...takenIds].map((i) => i.toLowerCase()));
  const urls = new Set([...knownUrls].map(canonical));
  const entries: FeedEntry[] = [];
  const skipped: OpmlImport["skipped"] = [];
  for (const [, attrText = ""] of xml.matchAll(OUTLINE)) {
    const attrs = attributes(attrText);
    const raw = attrs.get("xmlurl");
    if (!raw) continue; // a folder, or a plain outline
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      skipped.push({ url: raw, reason: "not a valid URL" });
      continue;
    }
    if (!ALLOWED_PROTOCOLS.has(url.protocol)) {
      skipped.push({ url: raw, reason: "only http and https feeds are polled" });
      continue;
    }
    if (urls.has(canonical(url.href))) {
      skipped.push({ url: url.href, reason: "already subscribed" });
      continue;
    }
    urls.add(canonical(url.href));
    const title = attrs.get("title") || attrs.get("text") || undefined;
    const id = uniqueId(slug(title ?? "") || slug(`${url.hostname}${url.pathname}`) || "feed", ids);
    entries.push(title ? { id, url: url.href, title } : { id, url: url.href });
  }
  return { entries, skipped };
}

function attributes(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const [, name = "", dq, sq] of text.matchAll(ATTRIBUTE)) {
    map.set(name.toLowerCase(), collapse(decodeEntities(dq ?? sq ?? "")));
  }
  return map;
}

/** Lower-case ASCII letters, digits and dashes, at most 48 characters: a valid config id. */
export function slug(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/^www\./, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/, "");
}

function uniqueId(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id.toLowerCase()); n++) id = `${base}-${n}`;
  taken.add(id.toLowerCase());
  return id;
}

/** Two spellings of one feed URL compare equal: scheme and host case, default port, fragment. */
function canonical(url: string): string {
  try {
    const u = new URL(url);
    u.hash = "";
    return u.href;
  } catch {
    return url;
  }
}
