import type { FeedConfig } from "../config/schema.ts";
import type { FetchRequest, FetchResult } from "../feeds/fetch.ts";
import { FetchError } from "../feeds/fetch-error.ts";
import { type ParsedFeed, parseFeed } from "../feeds/parse.ts";
import { feedFormat, looksLikeHtml, rootElement } from "../feeds/sniff.ts";

/** One guarded GET through the host gate: the only way a poll reaches the network. */
export type GetDocument = (req: FetchRequest) => Promise<FetchResult>;

type Fetched = Extract<FetchResult, { kind: "ok" }>;

export interface SourceRead {
  parsed: ParsedFeed;
  /** The response the items came from: its validators and URL are the ones to keep. */
  result: Fetched;
  /** Set when the configured URL served a page and this feed, named on it, was read instead. */
  discovered: string | null;
}

export interface ReadOptions {
  get: GetDocument;
  /** Discovery time: the date of page items that carry none. */
  now: number;
  /** Entries read from one feed document, first listed first (`defaults.maxItemsPerFetch`). */
  maxEntries?: number;
}

/**
 * Turns a fetched document into entries by the feed's kind. The HTML readers (cheerio, about
 * 11 MB) are imported when a page first needs them, so a process polling only feeds never
 * loads them. A `kind: feed` URL that serves an
 * HTML page is searched for the feed it advertises, which is fetched (through the same guarded
 * fetcher and host gate) and read in its place. Throws FetchError: one feed's error.
 */
export async function readSource(
  feed: FeedConfig,
  result: Fetched,
  opts: ReadOptions,
): Promise<SourceRead> {
  switch (feed.kind) {
    case "feed":
      return readFeedOrDiscover(result, opts);
    case "html": {
      const { readHtmlPage } = await import("../sources/html-page.ts");
      const parsed = readHtmlPage(result.body, result.finalUrl, feed.select, opts.now);
      return { parsed, result, discovered: null };
    }
    case "telegram": {
      const { readTelegramPage } = await import("../sources/telegram.ts");
      return { parsed: readTelegramPage(result.body, result.finalUrl), result, discovered: null };
    }
    default: {
      const never: never = feed.kind;
      throw new Error(`unknown feed kind ${String(never)}`);
    }
  }
}

async function readFeedOrDiscover(result: Fetched, opts: ReadOptions): Promise<SourceRead> {
  try {
    const parsed = await parseFeed(result.body, {
      contentType: result.contentType ?? undefined,
      maxEntries: opts.maxEntries,
    });
    return { parsed, result, discovered: null };
  } catch (err) {
    if (!(err instanceof FetchError && err.category === "not-a-feed" && isHtmlPage(result.body)))
      throw err;
  }
  const { bestFeed, discoverFeeds } = await import("../sources/discover.ts");
  const { feeds } = discoverFeeds(result.body, result.finalUrl);
  const best = bestFeed(feeds);
  if (!best)
    throw new FetchError(
      "not-a-feed",
      'the URL returned an HTML page that names no feed (no <link rel="alternate"> of an RSS, Atom or JSON Feed type); for a page without a feed use kind: html',
    );
  const followed = await opts.get({ url: best.url });
  if (followed.kind !== "ok")
    throw new FetchError("http", `${best.url}: answered 304 to a request without validators`);
  if (isHtmlPage(followed.body))
    throw new FetchError(
      "not-a-feed",
      `the page names ${best.url} as its feed, but that URL is an HTML page too`,
    );
  const parsed = await parseFeed(followed.body, {
    contentType: followed.contentType ?? undefined,
    maxEntries: opts.maxEntries,
  });
  return { parsed, result: followed, discovered: best.url };
}

function isHtmlPage(body: string): boolean {
  const text = body.replace(/^\ufeff/, "").trimStart();
  if (text.startsWith("{")) return false;
  const root = rootElement(text);
  return feedFormat(root) === null && looksLikeHtml(text, root);
}
