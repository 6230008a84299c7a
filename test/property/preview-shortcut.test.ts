import { expect, test } from "vitest";
import { DocumentWords } from "../../src/rules/index.ts";
import type { RecentItem } from "../../src/store/recent-items.ts";
import { previewQuery } from "../../src/subscriptions/preview.ts";
import { int, pick, prng, randomDocs, randomQuery } from "./generate.ts";

const NOW = Date.parse("2026-11-26T12:00:00Z");
const DAY = 86_400_000;

function storedItems(seed: number, count: number): RecentItem[] {
  const rng = prng(seed);
  return randomDocs(rng, count).map((doc, i) => ({
    item: {
      id: `i${i}`,
      feedId: pick(rng, ["wire", "ministry", "gazette"]),
      title: doc.title,
      link: `https://news.example/${i}`,
      published: new Date(NOW - int(rng, 0, 6) * DAY).toISOString(),
      author: rng() < 0.3 ? "Jane Doe" : null,
      categories: rng() < 0.3 ? ["Iraq"] : [],
      text: doc.content,
      contentHash: `h${i}`,
    },
    feed: { id: "wire", title: "Wire", url: "https://news.example/rss" },
    discoveredAt: NOW - int(rng, 0, 6) * DAY,
  }));
}

test("the preview's word-id shortcut gives exactly what analysing every item gives, query after query", () => {
  const items = storedItems(7, 1500);
  const rng = prng(11);
  const words = new DocumentWords(); // one cache across all the queries, as in a daemon
  const extra = ["feed:ministry", "author:jane", "category:iraq", "-drill rocket*"];
  for (let q = 0; q < 300; q++) {
    const query =
      q < extra.length ? (extra[q] as string) : randomQuery(rng, { prefixes: true, fields: true });
    for (const stemming of [true, false]) {
      const opts = { lists: {}, now: NOW, stemming, limit: 1000 };
      const fast = previewQuery(query, { ...opts, words }, items);
      const full = previewQuery(query, { ...opts, words: null }, items);
      expect(fast, query).toEqual(full);
    }
  }
  expect(words.size).toBe(items.length);
});
