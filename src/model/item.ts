/** One feed entry after parsing and normalization: what every later stage works on. */
export interface FeedItem {
  /** Identity within its feed: guid, else link, else a hash of title and date. */
  id: string;
  feedId: string;
  title: string;
  /** Absolute URL, or null when the entry had none. */
  link: string | null;
  /** ISO 8601, or null when the entry had no parsable date. */
  published: string | null;
  author: string | null;
  categories: string[];
  /** Plain text of the entry's content or summary: HTML stripped, entities decoded. */
  text: string;
  /** Hash of title and text: tells an edited entry from an unchanged one. */
  contentHash: string;
}

/** The feed an item came from, as alerts and digests show it. */
export interface FeedRef {
  id: string;
  title: string;
  url: string;
  /** The feed's `group` (one owner's outlets): corroboration counts the group once. */
  group?: string;
}
