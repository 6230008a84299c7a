import type { FeedItem, FeedRef } from "./item.ts";

/** Where a matched term was found, with offsets into that field's text. */
export interface MatchedTerm {
  field: "title" | "content" | "author" | "category" | "feed";
  /** The query term or phrase that matched, as written in the query. */
  term: string;
  /** The text that matched, as written in the item. */
  text: string;
  start: number;
  end: number;
}

/** A piece of a snippet: `hit` pieces are highlighted (bold in HTML, markers in text). */
export interface SnippetSegment {
  text: string;
  hit: boolean;
}

/** Another outlet that carried the same story. */
export interface AlsoReported {
  feedId: string;
  feedTitle: string;
  title: string;
  link: string | null;
}

/** One (subscriber, watchlist, story) alert. Its id is the idempotency key for delivery. */
export interface Alert {
  id: string;
  subscriberId: string;
  watchlist: { id: string; title: string };
  item: FeedItem & { feed: FeedRef };
  matched: MatchedTerm[];
  snippet: SnippetSegment[];
  /**
   * The watchlist matched only the linked article's text, fetched for a `fullText` feed: the
   * feed's own title and summary do not say it, and the snippet quotes the article.
   */
  foundInFullText?: boolean;
  alsoReportedBy: AlsoReported[];
  /** The story (incident) this alert is about: its later reports thread under this alert. */
  storyId?: string;
  /** The story's first report's title (an update's thread subject). */
  storyTitle?: string;
  /** Independent outlets that carried the story so far (one owner counts once). */
  outlets?: number;
  /** What this report added to the story's earlier reports (digest entries, updates). */
  changes?: string[];
  /** When the item was first seen by newswatch (for discovery-to-delivery latency). */
  discoveredAt: string;
  createdAt: string;
}
