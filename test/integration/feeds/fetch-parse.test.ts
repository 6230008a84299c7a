import { readFileSync } from "node:fs";
import { afterEach, beforeEach, expect, test } from "vitest";
import { DEFAULT_FETCH_LIMITS, type FetchLimits, fetchFeed } from "../../../src/feeds/fetch.ts";
import { normalizeEntries } from "../../../src/feeds/normalize.ts";
import { parseFeed } from "../../../src/feeds/parse.ts";
import { type Publisher, startPublisher } from "./publisher.ts";

const limits: FetchLimits = {
  ...DEFAULT_FETCH_LIMITS,
  allowPrivateNetworks: true,
  userAgent: "newswatch-test",
};
const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/feeds/${name}`, import.meta.url));

let pub: Publisher;
beforeEach(async () => {
  pub = await startPublisher();
});
afterEach(async () => {
  await pub.close();
});

// Each fixture served the way publishers really serve such a feed, including the common
// mislabels (text/html for RSS, no charset at all).
test.each([
  [
    "rss2-content-encoded.xml",
    "application/rss+xml; charset=UTF-8",
    "Airport road reopens after night closure",
  ],
  ["rss091.xml", "text/xml", "Bulletin: market reopens – prices steady"],
  ["rdf.xml", "application/rdf+xml", "Drone sighted over Erbil airport"],
  ["atom-xhtml.xml", "application/atom+xml", "Checkpoint moved near the green zone"],
  ["json-feed-1.1.json", "application/feed+json", "Crossing at Ibrahim Khalil reopens"],
  ["iso-8859-1.xml", "text/xml", "Réunion à Mossoul: accord signé"],
  ["windows-1252.xml", "text/html", "“Ceasefire holds” – officials"],
  [
    "windows-1256.xml",
    "application/rss+xml; charset=windows-1256",
    "صاروخان يسقطان قرب قاعدة التاجي",
  ],
  ["utf-16le-bom.xml", "application/xml", "Kurdish: هەواڵ and Greek: Ειδήσεις"],
])("%s served as %s reads as the publisher wrote it", async (name, contentType, newestTitle) => {
  pub.route(
    "/feed",
    (_req, res) => void res.writeHead(200, { "content-type": contentType }).end(fixture(name)),
  );
  const fetched = await fetchFeed({ url: pub.url("/feed") }, limits);
  if (fetched.kind !== "ok") throw new Error("expected a body");
  const parsed = await parseFeed(fetched.body, { contentType });
  const { items } = normalizeEntries("f", fetched.finalUrl, parsed);
  expect(items[0]?.title).toBe(newestTitle);
  for (const item of items) expect(item.link === null || /^https?:\/\//.test(item.link)).toBe(true);
});

test("an HTML home page given as a feed URL fails as not-a-feed", async () => {
  pub.route(
    "/",
    (_req, res) =>
      void res.writeHead(200, { "content-type": "text/html" }).end(fixture("html-page.html")),
  );
  const fetched = await fetchFeed({ url: pub.url("/") }, limits);
  if (fetched.kind !== "ok") throw new Error("expected a body");
  await expect(parseFeed(fetched.body, { contentType: "text/html" })).rejects.toMatchObject({
    category: "not-a-feed",
  });
});
