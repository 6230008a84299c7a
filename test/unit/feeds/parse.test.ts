import { describe, expect, test } from "vitest";
import { decodeBody } from "../../../src/feeds/decode.ts";
import { FetchError } from "../../../src/feeds/fetch-error.ts";
import { parseFeed } from "../../../src/feeds/parse.ts";
import { fixtureBytes, parseFixture } from "./fixtures.ts";

async function parseError(p: Promise<unknown>): Promise<FetchError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof FetchError) return err;
    throw err;
  }
  throw new Error("expected parseFeed to fail");
}

describe("formats", () => {
  test("RSS 2.0 gives full content from content:encoded, author, categories and the publisher's ttl", async () => {
    const feed = await parseFixture("rss2-content-encoded.xml");
    expect(feed).toMatchObject({
      format: "rss",
      title: "Tigris Wire & Partners",
      link: "https://news.example.org/",
      ttlMinutes: 30,
      updatePeriodMinutes: 30, // hourly, twice
    });
    const taji = feed.entries[0];
    expect(taji).toMatchObject({
      guid: "tigris-4411",
      link: "/2026/11/25/taji-rockets/",
      author: "Desk Reporter",
      categories: ["Security", "Iraq"],
      summary: "Two rockets landed inside the perimeter late on Wednesday.",
    });
    expect(taji?.html).toContain("<b>Katyusha</b> rockets landed");
    expect(Date.parse(taji?.published ?? "")).toBe(Date.parse("2026-11-25T18:40:00Z"));
  });

  test("RSS 0.91 with the Netscape DOCTYPE and HTML entities parses", async () => {
    const feed = await parseFixture("rss091.xml");
    expect(feed.format).toBe("rss");
    expect(feed.title).toBe("Café Radio Bulletins");
    expect(feed.entries.map((e) => e.title)).toEqual([
      "Bulletin: market reopens – prices steady",
      "Bulletin: power cuts in three districts",
    ]);
    expect(feed.entries[0]?.guid).toBeNull();
  });

  test("RSS 1.0 (RDF) reads dc:date, dc:creator and dc:subject", async () => {
    const feed = await parseFixture("rdf.xml");
    expect(feed.format).toBe("rdf");
    expect(feed.entries[0]).toMatchObject({
      guid: "https://journal.example.com/n/201",
      title: "Drone sighted over Erbil airport",
      author: "Night Desk",
      categories: ["Aviation"],
    });
    expect(Date.parse(feed.entries[0]?.published ?? "")).toBe(Date.parse("2026-11-24T06:30:00Z"));
  });

  test("Atom xhtml content keeps its text in document order", async () => {
    const feed = await parseFixture("atom-xhtml.xml");
    expect(feed.format).toBe("atom");
    const entry = feed.entries[0];
    expect(entry?.link).toBe("/posts/checkpoint-moved");
    expect(entry?.guid).toBe("tag:notes.example.com,2026:12");
    expect(entry?.author).toBe("A. Writer");
    expect(entry?.categories).toEqual(["checkpoints", "baghdad"]);
    expect(entry?.html).toMatch(/moved <strong>two hundred metres<\/strong> east/);
    expect(entry?.summary).toBe("The checkpoint moved two hundred metres east.");
    expect(feed.entries[1]?.published).toBe("2026-11-20T10:00:00.000Z"); // from <updated>
  });

  test("JSON Feed 1.1 reads authors, tags, numeric ids and text-only content", async () => {
    const feed = await parseFixture("json-feed-1.1.json", "application/feed+json");
    expect(feed).toMatchObject({
      format: "json",
      title: "Border Monitor",
      link: "https://monitor.example.org/",
    });
    expect(feed.entries[0]).toMatchObject({
      guid: "bm-77",
      author: "Monitor Staff",
      categories: ["borders", "trade"],
    });
    expect(feed.entries[1]).toMatchObject({ guid: "76", link: "/76", title: null });
    expect(feed.entries[1]?.html).toContain("queues at the crossing passed 2 km");
  });

  test("JSON Feed 1.0 reads its single author", async () => {
    const feed = await parseFixture("json-feed-1.0.json");
    expect(feed.entries[0]).toMatchObject({
      guid: "x1",
      author: "Single Author",
      summary: "Written by one author.",
    });
  });

  test("an <rss> without a version attribute is read as RSS 2.0", async () => {
    const feed = await parseFeed(
      "<rss><channel><title>Hand made</title><item><title>One</title></item></channel></rss>",
    );
    expect(feed.entries.map((e) => e.title)).toEqual(["One"]);
  });
  test("one unparsable Atom date costs that entry its date, not the whole feed", async () => {
    const feed = await parseFeed(
      '<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><entry><id>1</id><title>a</title><published>sometime soon</published></entry><entry><id>2</id><title>b</title><updated>2026-11-01T00:00:00Z</updated></entry></feed>',
    );
    expect(feed.entries.map((e) => e.published)).toEqual([null, "2026-11-01T00:00:00.000Z"]);
  });
});

describe("encodings", () => {
  test.each([
    ["iso-8859-1.xml", "Réunion à Mossoul: accord signé"],
    ["windows-1252.xml", "“Ceasefire holds” – officials"],
    ["windows-1256.xml", "صاروخان يسقطان قرب قاعدة التاجي"],
    ["utf-16le-bom.xml", "Kurdish: هەواڵ and Greek: Ειδήσεις"],
    ["utf-16be-bom.xml", "Big-endian: Ελλάδα"],
  ])("%s declared only in the document decodes to the right text", async (name, title) => {
    const feed = await parseFixture(name);
    expect(feed.entries[0]?.title).toBe(title);
  });

  test("the Content-Type charset wins over the XML declaration", async () => {
    // The bytes are windows-1256; a server saying so must be believed over a wrong declaration.
    const bytes = Buffer.from(
      fixtureBytes("windows-1256.xml").toString("latin1").replace("windows-1256", "utf-8"),
      "latin1",
    );
    const feed = await parseFeed(decodeBody(bytes, "text/xml; charset=windows-1256"));
    expect(feed.title).toBe("أخبار العراق");
  });
});

describe("bad input", () => {
  test("an HTML page is not-a-feed with a hint", async () => {
    const err = await parseError(parseFixture("html-page.html", "text/html; charset=utf-8"));
    expect(err.category).toBe("not-a-feed");
    expect(err.message).toContain("HTML page");
  });

  test("an HTML page served as XML is still not-a-feed", async () => {
    const err = await parseError(
      parseFeed('<?xml version="1.0"?>\n<html><body>Sign in</body></html>'),
    );
    expect(err.category).toBe("not-a-feed");
  });

  test("an <rss> document carrying an HTML DOCTYPE is still a feed", async () => {
    const feed = await parseFeed(
      '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "x"><rss><channel><title>found</title></channel></rss>',
    );
    expect(feed.title).toBe("found");
  });

  test("other XML and plain JSON are not-a-feed", async () => {
    expect((await parseError(parseFeed("<opml version='2.0'><body/></opml>"))).category).toBe(
      "not-a-feed",
    );
    expect((await parseError(parseFeed('{"status":"ok"}'))).category).toBe("not-a-feed");
    expect((await parseError(parseFeed("Service temporarily unavailable"))).category).toBe(
      "not-a-feed",
    );
  });

  test("malformed XML is a parse error", async () => {
    const err = await parseError(
      parseFeed('<rss version="2.0"><channel><title>Cut off</title><item><title>x</ti'),
    );
    expect(err.category).toBe("parse");
  });

  test("a broken JSON Feed is a parse error naming the field", async () => {
    const err = await parseError(
      parseFeed('{"version":"https://jsonfeed.org/version/1.1","items":"none"}'),
    );
    expect(err.category).toBe("parse");
    expect(err.message).toContain("items");
  });

  test.each(["billion-laughs.xml", "xxe.xml"])(
    "%s is refused in milliseconds without expansion",
    async (name) => {
      const started = performance.now();
      const err = await parseError(parseFixture(name));
      expect(err.category).toBe("parse");
      expect(err.message).toContain("declares XML entities");
      // Expanding them would take seconds and gigabytes; refusing takes milliseconds.
      expect(performance.now() - started).toBeLessThan(1000);
    },
  );

  test("bare ampersands and HTML entities in RSS do not break the feed", async () => {
    const feed = await parseFeed(
      '<rss version="2.0"><channel><title>Q&A&nbsp;desk</title><item><title>Fish &amp; chips &hellip;</title><link>http://x.example/?a=1&b=2</link></item></channel></rss>',
    );
    expect(feed.title).toBe("Q&A desk");
    expect(feed.entries[0]?.title).toBe("Fish & chips …");
    expect(feed.entries[0]?.link).toBe("http://x.example/?a=1&b=2");
  });

  test("PHP notices printed before the XML declaration are skipped", async () => {
    const feed = await parseFeed(
      '<br />\n<b>Warning</b>: Undefined variable $x in <b>/var/www/feed.php</b><br />\n<?xml version="1.0"?><rss version="2.0"><channel><title>Still a feed</title></channel></rss>',
    );
    expect(feed.title).toBe("Still a feed");
  });

  test("raw HTML inside an RSS description keeps its text in order", async () => {
    const feed = await parseFeed(
      '<rss version="2.0"><channel><title>t</title><item><title>x</title><description><p>Rockets hit <b>Taji</b> at dawn</p></description></item></channel></rss>',
    );
    expect(feed.entries[0]?.summary).toBe("<p>Rockets hit <b>Taji</b> at dawn</p>");
  });

  test("an escaped HTML description is not mistaken for raw markup", async () => {
    const feed = await parseFeed(
      '<rss version="2.0"><channel><title>t</title><item><title>x</title><description>&lt;p&gt;Escaped &amp;amp; fine&lt;/p&gt;</description></item></channel></rss>',
    );
    expect(feed.entries[0]?.summary).toBe("<p>Escaped &amp; fine</p>");
  });

  test("control characters never reach titles", async () => {
    const feed = await parseFeed(
      '<rss version="2.0"><channel><title>a\u0000b\u001ac</title></channel></rss>',
    );
    expect(feed.title).toBe("abc");
  });

  test("an RSS document without a channel is an empty feed, not a crash", async () => {
    const feed = await parseFeed('<rss version="2.0">\n</rss>');
    expect(feed.entries).toEqual([]);
  });
});
