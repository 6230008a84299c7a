/** One entry as the feed wrote it, before normalization. Fields are null when absent. */
export interface RawEntry {
  guid: string | null;
  link: string | null;
  title: string | null;
  /** The date as written (RFC 822, ISO 8601...), or an ISO string the parser produced. */
  published: string | null;
  author: string | null;
  categories: string[];
  /** The entry's xml:base, as written (may itself be relative to the feed's). */
  base?: string | null;
  /** The full content (content:encoded, Atom content, content_html), HTML. */
  html: string | null;
  /** The description or summary, HTML or text. */
  summary: string | null;
}

export interface ParsedFeed {
  /** The document's format; html and telegram are pages read as if they were feeds. */
  format: "rss" | "atom" | "rdf" | "json" | "html" | "telegram";
  title: string;
  link: string | null;
  /** RSS <ttl>: minutes the publisher asks caches to keep the feed. */
  ttlMinutes: number | null;
  /** sy:updatePeriod divided by sy:updateFrequency, in minutes. */
  updatePeriodMinutes: number | null;
  /** The document's xml:base, as written (relative to the URL the feed was fetched from). */
  base?: string | null;
  entries: RawEntry[];
}
