import { afterEach, expect, test } from "vitest";
import { normalizeEntries } from "../../../src/feeds/normalize.ts";
import { parseFeed } from "../../../src/feeds/parse.ts";

// A feed is text from a stranger: keys and element names like __proto__ or constructor must
// land as data (or nowhere), never on Object.prototype.
afterEach(() => {
  for (const key of ["polluted", "title", "isAdmin"]) delete (Object.prototype as never)[key];
});

function prototypeUntouched() {
  const probe: Record<string, unknown> = {};
  expect(probe.polluted).toBeUndefined();
  expect(probe.isAdmin).toBeUndefined();
  expect(probe.title).toBeUndefined();
  expect(Object.keys(Object.prototype)).toEqual([]);
}

test("a JSON Feed with __proto__ and constructor keys pollutes nothing", async () => {
  const body = `{
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Wire",
    "__proto__": { "polluted": "feed" },
    "constructor": { "prototype": { "isAdmin": true } },
    "items": [
      { "id": "1", "title": "Rockets hit base", "__proto__": { "polluted": "item", "title": "x" },
        "constructor": { "prototype": { "isAdmin": true } } },
      { "__proto__": { "id": "2" }, "id": "3", "title": "Second" }
    ]
  }`;
  const feed = await parseFeed(body);
  const { items } = normalizeEntries("wire", "https://wire.example/feed.json", feed);
  expect(items.map((i) => i.title)).toEqual(["Rockets hit base", "Second"]);
  prototypeUntouched();
});

test("RSS elements named __proto__, constructor and prototype pollute nothing", async () => {
  const body = `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
  <__proto__><polluted>channel</polluted></__proto__>
  <item><title>Rockets hit base</title><guid>g1</guid>
    <__proto__><polluted>item</polluted><isAdmin>true</isAdmin></__proto__>
    <constructor><prototype><isAdmin>true</isAdmin></prototype></constructor>
  </item></channel></rss>`;
  const feed = await parseFeed(body);
  expect(feed.entries.map((e) => e.title)).toEqual(["Rockets hit base"]);
  prototypeUntouched();
});
