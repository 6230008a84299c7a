import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { FetchError } from "../../../src/feeds/fetch-error.ts";
import { normalizeEntries } from "../../../src/feeds/normalize.ts";
import { MAX_STORIES_PER_PAGE, readHtmlPage } from "../../../src/sources/html-page.ts";
import { selectorProblem } from "../../../src/sources/selector-check.ts";

const page = (name: string) =>
  readFile(path.join(import.meta.dirname, "../../fixtures/pages", name), "utf8");
const MINISTRY = "https://moi.example.gov/en/news/";
const OUTLET = "https://nineveh-local.example/";
const NOW = Date.parse("2026-12-03T06:00:00Z");

function items(html: string, url: string, select?: Parameters<typeof readHtmlPage>[2]) {
  return normalizeEntries("page", url, readHtmlPage(html, url, select, NOW)).items;
}

describe("reading a page without a feed", () => {
  test("a list of headline links becomes items with their links, dates and summaries; menus, logo and pager are left out", async () => {
    const found = items(await page("ministry-news.html"), MINISTRY);
    expect(found.map((i) => [i.title, i.link, i.published])).toEqual([
      [
        "Border posts reinforced in Anbar after drone sighting",
        "https://moi.example.gov/en/news/2026/12/border-posts-reinforced",
        "2026-12-02T05:15:00.000Z",
      ],
      [
        "Minister receives delegation from Erbil",
        "https://moi.example.gov/en/news/2026/12/minister-receives-delegation",
        "2026-12-01T10:00:00.000Z",
      ],
      [
        "Three new passport offices open in Basra",
        "https://moi.example.gov/en/news/2026/11/new-passport-offices",
        "2026-11-30T06:30:00.000Z",
      ],
    ]);
    expect(found[0]?.text).toBe(
      "Security forces added patrols near Al-Qaim after a drone was seen over the border crossing.",
    );
    expect(found[0]?.id).toBe(found[0]?.link);
  });

  test("<article> elements and NewsArticle JSON-LD are read together, one item per story link", async () => {
    const found = items(await page("outlet-articles.html"), OUTLET);
    expect(found.map((i) => [i.title, i.link, i.published])).toEqual([
      // No date on the page: the time it was discovered (so it sorts first).
      [
        "University exams moved to January",
        "https://nineveh-local.example/2026/12/02/university-exams",
        "2026-12-03T06:00:00.000Z",
      ],
      [
        "Rocket lands near airport base outside Mosul",
        "https://nineveh-local.example/2026/12/02/rocket-airport-base",
        "2026-12-02T21:05:00.000Z",
      ],
      [
        "Old city market reopens after restoration",
        "https://nineveh-local.example/2026/12/01/market-reopens",
        "2026-12-01T10:00:00.000Z",
      ],
    ]);
    // The JSON-LD's description fills the summary the <article> teaser did not have.
    expect(found[1]?.text).toBe(
      "One rocket struck an empty field beside the base; no one was hurt.",
    );
  });

  test("selectors pick the stories, and each field inside them", async () => {
    const found = items(await page("ministry-news.html"), MINISTRY, {
      item: ".news-item",
      title: "h3",
      link: "h3 a",
      date: ".date time",
      summary: "p",
    });
    expect(found).toHaveLength(3);
    expect(found[2]).toMatchObject({
      title: "Three new passport offices open in Basra",
      text: "Citizens can now apply for passports in Zubair, Abu Al-Khaseeb and Qurna.",
      published: "2026-11-30T06:30:00.000Z",
    });
  });

  test("a selector that matches nothing is the feed's error, naming the selector", async () => {
    const html = await page("ministry-news.html");
    expect(() => readHtmlPage(html, MINISTRY, { item: ".story-card" }, NOW)).toThrow(
      new FetchError(
        "layout",
        'select.item ".story-card" matched no story with a link on the page',
      ),
    );
  });

  test("a page with no stories says what was looked for", () => {
    const html = "<html><body><p>Under maintenance</p><a href='/'>Home</a></body></html>";
    expect(() => readHtmlPage(html, MINISTRY, undefined, NOW)).toThrow(/no stories found/);
  });

  test("selectorProblem explains a selector the engine cannot read, and accepts a good one", () => {
    expect(selectorProblem("div.news-item > h3 a")).toBeNull();
    expect(selectorProblem("a[")).toMatch(/^not a CSS selector the engine understands: /);
  });
});

describe("large pages", () => {
  // Bounds ten times what a loaded machine needs, as in test/unit/feeds/hostile-input.test.ts:
  // finding each headline's block by comparing it with every other would take minutes here.
  test("a page listing 20,000 headline links is read in linear time, and its first 1,000 stories kept", () => {
    const list = Array.from(
      { length: 20_000 },
      (_, i) => `<li><h3><a href="/n/${i}">Story ${i}</a></h3><p>Text ${i}</p></li>`,
    ).join("");
    const started = performance.now();
    const parsed = readHtmlPage(
      `<html><body><ul>${list}</ul></body></html>`,
      MINISTRY,
      undefined,
      NOW,
    );
    expect(performance.now() - started).toBeLessThan(20_000);
    expect(parsed.entries).toHaveLength(MAX_STORIES_PER_PAGE);
    expect(parsed.entries[999]).toMatchObject({
      link: "https://moi.example.gov/n/999",
      title: '<a href="/n/999">Story 999</a>',
      summary: "Text 999",
    });
  });
});
