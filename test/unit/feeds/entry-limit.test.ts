import { expect, test } from "vitest";
import { parseFeed } from "../../../src/feeds/parse.ts";

const rss = (n: number) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>${Array.from(
    { length: n },
    (_, i) => `<item><title>Item ${i}</title><guid>g${i}</guid></item>`,
  ).join("")}</channel></rss>`;

const atom = (n: number) =>
  `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>${Array.from(
    { length: n },
    (_, i) => `<entry><title>Entry ${i}</title><id>e${i}</id></entry>`,
  ).join("")}</feed>`;

test("a feed listing more entries than maxEntries is read up to its first maxEntries", async () => {
  const parsed = await parseFeed(rss(50), { maxEntries: 20 });
  expect(parsed.title).toBe("T");
  expect(parsed.entries.map((e) => e.title)).toEqual(
    Array.from({ length: 20 }, (_, i) => `Item ${i}`),
  );
  const entries = (await parseFeed(atom(30), { maxEntries: 7 })).entries;
  expect(entries.map((e) => e.title)).toEqual(Array.from({ length: 7 }, (_, i) => `Entry ${i}`));
});

test("a feed within the limit is read whole", async () => {
  expect((await parseFeed(rss(5), { maxEntries: 5 })).entries).toHaveLength(5);
  expect((await parseFeed(rss(5), { maxEntries: 50 })).entries).toHaveLength(5);
});
