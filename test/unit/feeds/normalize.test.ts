import { describe, expect, test } from "vitest";
import { normalizeEntries } from "../../../src/feeds/normalize.ts";
import type { ParsedFeed, RawEntry } from "../../../src/feeds/parse.ts";
import { parseFeed } from "../../../src/feeds/parse.ts";
import { parseFixture } from "./fixtures.ts";

const FEED_URL = "https://news.example.org/feed/";

function entry(over: Partial<RawEntry>): RawEntry {
  return {
    guid: null,
    link: null,
    title: null,
    published: null,
    author: null,
    categories: [],
    html: null,
    summary: null,
    ...over,
  };
}

function feed(entries: RawEntry[]): ParsedFeed {
  return {
    format: "rss",
    title: "T",
    link: "https://news.example.org/",
    ttlMinutes: null,
    updatePeriodMinutes: null,
    entries,
  };
}

describe("items from a real-shaped feed", () => {
  test("the Taji story comes out with plain text, an absolute link and its guid as id", async () => {
    const { items, identity } = normalizeEntries(
      "tigris",
      FEED_URL,
      await parseFixture("rss2-content-encoded.xml"),
    );
    expect(identity).toBe("guid");
    const taji = items.find((i) => i.id === "tigris-4411");
    expect(taji).toMatchObject({
      feedId: "tigris",
      title: "Two Katyusha rockets strike Taji base north of Baghdad",
      link: "https://news.example.org/2026/11/25/taji-rockets/",
      published: "2026-11-25T18:40:00.000Z",
      author: "Desk Reporter",
      categories: ["Security", "Iraq"],
    });
    expect(taji?.text).toBe(
      "Two Katyusha rockets landed inside the perimeter of Taji base late on Wednesday, officials said. No casualties were reported — the base’s sirens sounded twice.",
    );
  });

  test("HTML in a title is reduced to its text", async () => {
    const { items } = normalizeEntries(
      "tigris",
      FEED_URL,
      await parseFixture("rss2-content-encoded.xml"),
    );
    expect(items.map((i) => i.title)).toContain('Breaking: Council approves "river" budget');
  });

  test("items come newest first", async () => {
    const { items } = normalizeEntries(
      "tigris",
      FEED_URL,
      await parseFixture("rss2-content-encoded.xml"),
    );
    expect(items.map((i) => i.published)).toEqual([
      "2026-11-26T06:15:00.000Z",
      "2026-11-25T18:40:00.000Z",
      "2026-11-25T18:05:00.000Z",
    ]);
  });

  test("Atom relative links resolve against the feed's site", async () => {
    const { items } = normalizeEntries(
      "notes",
      "https://notes.example.com/atom.xml",
      await parseFixture("atom-xhtml.xml"),
    );
    expect(items[0]?.link).toBe("https://notes.example.com/posts/checkpoint-moved");
    expect(items[0]?.text).toBe(
      "The checkpoint moved two hundred metres east. Queues eased by noon.",
    );
  });

  test("JSON Feed relative links resolve and a missing title falls back to the text", async () => {
    const { items } = normalizeEntries(
      "bm",
      "https://monitor.example.org/feed.json",
      await parseFixture("json-feed-1.1.json"),
    );
    expect(items[1]).toMatchObject({
      id: "76",
      link: "https://monitor.example.org/76",
      title: "Short note: queues at the crossing passed 2 km.",
    });
  });
});

describe("ordering", () => {
  test("undated items follow dated ones in document order", () => {
    const { items } = normalizeEntries(
      "f",
      FEED_URL,
      feed([
        entry({ guid: "u1", title: "undated first" }),
        entry({ guid: "d1", title: "old", published: "2026-11-01T00:00:00Z" }),
        entry({ guid: "u2", title: "undated second" }),
        entry({ guid: "d2", title: "new", published: "2026-11-20T00:00:00Z" }),
      ]),
    );
    expect(items.map((i) => i.id)).toEqual(["d2", "d1", "u1", "u2"]);
  });

  test("an unparsable date becomes null rather than a wrong date", () => {
    const { items } = normalizeEntries(
      "f",
      FEED_URL,
      feed([entry({ guid: "a", title: "x", published: "yesterday-ish" })]),
    );
    expect(items[0]?.published).toBeNull();
  });
});

describe("identity", () => {
  test("repeated guids make the feed fall back to links, and every story keeps its own id", async () => {
    const { items, identity, identityReason } = normalizeEntries(
      "cms",
      FEED_URL,
      await parseFixture("guids-repeated.xml"),
    );
    expect(identity).toBe("link");
    expect(identityReason).toContain("3 of 4 guids are blank or repeated");
    expect(new Set(items.map((i) => i.id)).size).toBe(4);
    expect(items.map((i) => i.id)).toContain("https://cms.example.org/s/1");
  });

  test("blank guids and a shared link fall back to a hash of title and date", async () => {
    const { items, identity, identityReason } = normalizeEntries(
      "live",
      FEED_URL,
      await parseFixture("guids-blank-links-shared.xml"),
    );
    expect(identity).toBe("hash");
    expect(identityReason).toContain("links too");
    expect(new Set(items.map((i) => i.id)).size).toBe(4);
  });

  test("hash ids are stable across fetches", async () => {
    const a = normalizeEntries(
      "live",
      FEED_URL,
      await parseFixture("guids-blank-links-shared.xml"),
    );
    const b = normalizeEntries(
      "live",
      FEED_URL,
      await parseFixture("guids-blank-links-shared.xml"),
    );
    expect(a.items.map((i) => i.id)).toEqual(b.items.map((i) => i.id));
  });

  test("one blank guid among forty keeps guid identity; that item uses its link", () => {
    const entries = Array.from({ length: 40 }, (_, n) =>
      entry({
        guid: n === 7 ? "" : `g${n}`,
        link: `https://news.example.org/${n}`,
        title: `Story ${n}`,
      }),
    );
    const { items, identity, identityReason } = normalizeEntries("f", FEED_URL, feed(entries));
    expect(identity).toBe("guid");
    expect(identityReason).toBeNull();
    expect(items.map((i) => i.id)).toContain("https://news.example.org/7");
    expect(items.map((i) => i.id)).toContain("g8");
  });

  test("a feed that fell back to links stays there until its guids are all clean", () => {
    const entries = (badGuids: number) =>
      Array.from({ length: 40 }, (_, n) =>
        entry({
          guid: n < badGuids ? "" : `g${n}`,
          link: `https://news.example.org/${n}`,
          title: `Story ${n}`,
        }),
      );
    const nearly = normalizeEntries("f", FEED_URL, feed(entries(1)), { previousIdentity: "link" });
    expect(nearly.identity).toBe("link");
    const clean = normalizeEntries("f", FEED_URL, feed(entries(0)), { previousIdentity: "link" });
    expect(clean.identity).toBe("guid");
    const fresh = normalizeEntries("f", FEED_URL, feed(entries(1)));
    expect(fresh.identity).toBe("guid");
  });

  test("the same entry listed twice is one item; two stories sharing a guid stay two", () => {
    const entries = [
      ...Array.from({ length: 30 }, (_, n) => entry({ guid: `g${n}`, title: `Story ${n}` })),
      entry({ guid: "g1", title: "Story 1" }),
      entry({ guid: "g2", title: "A different story under a reused guid" }),
    ];
    const { items } = normalizeEntries("f", FEED_URL, feed(entries));
    expect(items).toHaveLength(31);
    expect(new Set(items.map((i) => i.id)).size).toBe(31);
  });

  test("the content hash changes when the text is edited and not otherwise", () => {
    const one = normalizeEntries(
      "f",
      FEED_URL,
      feed([entry({ guid: "a", title: "T", html: "<p>first</p>" })]),
    );
    const same = normalizeEntries(
      "f",
      FEED_URL,
      feed([entry({ guid: "a", title: "T", html: "first" })]),
    );
    const edited = normalizeEntries(
      "f",
      FEED_URL,
      feed([entry({ guid: "a", title: "T", html: "<p>second</p>" })]),
    );
    expect(same.items[0]?.contentHash).toBe(one.items[0]?.contentHash);
    expect(edited.items[0]?.contentHash).not.toBe(one.items[0]?.contentHash);
    expect(edited.items[0]?.id).toBe("a");
  });
});

describe("links", () => {
  test("only http and https links are kept", () => {
    const { items } = normalizeEntries(
      "f",
      FEED_URL,
      feed([
        entry({ guid: "a", title: "x", link: "javascript:alert(1)" }),
        entry({ guid: "b", title: "y", link: "mailto:desk@example.org" }),
      ]),
    );
    expect(items.map((i) => i.link)).toEqual([null, null]);
  });

  test("an entry with a permalink guid and no link links to its guid", () => {
    const { items } = normalizeEntries(
      "f",
      FEED_URL,
      feed([entry({ guid: "https://news.example.org/?p=9", title: "x" })]),
    );
    expect(items[0]?.link).toBe("https://news.example.org/?p=9");
  });

  test("Atom xml:base on the feed and the entry decides where relative links point", async () => {
    const parsed = await parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.org/desk/">
        <title>x</title><link href="https://elsewhere.example.com/"/>
        <entry xml:base="2026/"><id>1</id><title>a</title><link href="one.html"/></entry>
        <entry><id>2</id><title>b</title><link href="two.html"/></entry>
      </feed>`,
    );
    const { items } = normalizeEntries("f", "https://feeds.example.org/atom", parsed);
    expect(items.map((i) => i.link)).toEqual([
      "https://blog.example.org/desk/2026/one.html",
      "https://blog.example.org/desk/two.html",
    ]);
  });

  test("a relative link resolves against the channel link, else the feed URL", () => {
    const withChannel = normalizeEntries(
      "f",
      FEED_URL,
      feed([entry({ guid: "a", title: "x", link: "story/1" })]),
    );
    expect(withChannel.items[0]?.link).toBe("https://news.example.org/story/1");
    const noChannel = normalizeEntries("f", FEED_URL, {
      ...feed([entry({ guid: "a", title: "x", link: "story/1" })]),
      link: null,
    });
    expect(noChannel.items[0]?.link).toBe("https://news.example.org/feed/story/1");
  });
});
