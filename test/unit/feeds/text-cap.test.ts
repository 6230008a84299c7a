import { describe, expect, test } from "vitest";
import { MAX_FIELD_CHARS, normalizeEntries } from "../../../src/feeds/normalize.ts";

describe("item text is capped", () => {
  test("a body of a megabyte keeps its first 100,000 characters: words after them are not matched or stored", () => {
    const body = `<p>${"rocket strike on the base. ".repeat(40_000)}hidden-tail</p>`;
    const { items } = normalizeEntries("f", "https://news.example.org/feed", {
      format: "rss",
      title: "T",
      link: null,
      ttlMinutes: null,
      updatePeriodMinutes: null,
      entries: [
        {
          guid: "g1",
          link: null,
          title: `Huge ${"title ".repeat(30_000)}`,
          published: null,
          author: null,
          categories: [],
          html: body,
          summary: null,
        },
      ],
    });
    const [item] = items;
    expect(MAX_FIELD_CHARS).toBe(100_000);
    expect(item?.text.length).toBe(MAX_FIELD_CHARS);
    expect(item?.text.startsWith("rocket strike on the base.")).toBe(true);
    expect(item?.text).not.toContain("hidden-tail");
    expect(item?.title.length).toBe(MAX_FIELD_CHARS);
  });
});
