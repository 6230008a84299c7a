import type { Config, FeedConfig } from "../../config/schema.ts";
import { fetchFeed, fetchLimits } from "../../feeds/fetch.ts";
import { FetchError } from "../../feeds/fetch-error.ts";
import { HostGate } from "../../feeds/host-gate.ts";
import { normalizeEntries } from "../../feeds/normalize.ts";
import { parseFeed } from "../../feeds/parse.ts";
import { type GetDocument, readSource } from "../../pipeline/read-source.ts";
import { userAgent } from "../../runtime/version.ts";
import { bestFeed, discoverFeeds, hubLinks } from "../../sources/discover.ts";
import { type CliIO, EXIT } from "../command.ts";

// `feeds --discover URL` and `feeds --preview ID`: one-off looks at a source, fetched the way
// a poll fetches it (SSRF guard, caps, one host slot at a time), with nothing stored.

function cliGet(config: Config): GetDocument {
  const gate = new HostGate({ maxConcurrentPerHost: 1, minSpacingMs: config.defaults.hostSpacing });
  const limits = fetchLimits(config, userAgent());
  return (req) => gate.run(new URL(req.url).host, () => fetchFeed(req, limits));
}

/** Prints the feeds (and WebSub hubs) a page advertises, marking the one a poll would take. */
export async function discover(url: string, config: Config, io: CliIO): Promise<number> {
  try {
    const page = await cliGet(config)({ url });
    if (page.kind !== "ok") throw new FetchError("http", `${url}: 304 to a plain request`);
    const feedItself = await parseFeed(page.body, {
      contentType: page.contentType ?? undefined,
    }).catch(() => null);
    const hub = hubLinks(page.body, page.finalUrl);
    if (feedItself) {
      io.stdout.write(
        `${page.finalUrl} is a feed itself (${feedItself.format.toUpperCase()}, ${feedItself.entries.length} items)\n`,
      );
    } else {
      const { feeds } = discoverFeeds(page.body, page.finalUrl);
      const best = bestFeed(feeds);
      if (feeds.length === 0) {
        io.stdout.write(
          `${page.finalUrl}: no feed named on the page (no <link rel="alternate"> of an RSS, Atom or JSON Feed type); kind: html reads the page itself\n`,
        );
        return EXIT.failed;
      }
      io.stdout.write(`${page.finalUrl} names ${feeds.length} feed(s); * marks the one polled:\n`);
      for (const f of feeds)
        io.stdout.write(
          `${f === best ? "*" : " "} ${f.format.padEnd(4)} ${f.url}${f.title ? `  "${f.title}"` : ""}\n`,
        );
    }
    for (const h of hub.hubs) io.stdout.write(`  hub  ${h} (WebSub push)\n`);
    return EXIT.ok;
  } catch (err) {
    io.stderr.write(`newswatch: ${(err as Error).message}\n`);
    return EXIT.failed;
  }
}

/** Prints the items a source yields now, newest first, so selectors can be tuned. */
export async function preview(
  feed: FeedConfig,
  config: Config,
  io: CliIO,
  json: boolean,
): Promise<number> {
  try {
    const get = cliGet(config);
    const fetched = await get({ url: feed.url });
    if (fetched.kind !== "ok") throw new FetchError("http", `${feed.url}: 304 to a plain request`);
    const read = await readSource(feed, fetched, { get, now: Date.now() });
    const { items } = normalizeEntries(feed.id, read.result.finalUrl, read.parsed);
    if (json) {
      for (const item of items) io.stdout.write(`${JSON.stringify(item)}\n`);
      return EXIT.ok;
    }
    const from = read.discovered ? `${read.discovered} (named on ${feed.url})` : feed.url;
    io.stdout.write(`${feed.id} (kind ${feed.kind}): ${items.length} items from ${from}\n`);
    for (const item of items) {
      io.stdout.write(`\n${item.published ?? "(no date)"}  ${item.title}\n`);
      io.stdout.write(`  ${item.link ?? "(no link)"}\n`);
      if (item.text) io.stdout.write(`  ${shorten(item.text, 160)}\n`);
    }
    return EXIT.ok;
  } catch (err) {
    io.stderr.write(`newswatch: feed ${feed.id}: ${(err as Error).message}\n`);
    return EXIT.failed;
  }
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
