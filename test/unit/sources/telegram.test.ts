import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { normalizeEntries } from "../../../src/feeds/normalize.ts";
import { readTelegramPage } from "../../../src/sources/telegram.ts";

const URL = "https://t.me/s/frontline_watch";
const fixture = () =>
  readFile(path.join(import.meta.dirname, "../../fixtures/pages/telegram-channel.html"), "utf8");

describe("reading a Telegram channel's web preview", () => {
  test("each post becomes an item with its data-post id, text, time and t.me link; service messages are skipped", async () => {
    const parsed = readTelegramPage(await fixture(), URL);
    expect(parsed.title).toBe("Frontline Watch");
    const { items } = normalizeEntries("tg", URL, parsed);
    expect(items.map((i) => [i.id, i.link, i.published])).toEqual([
      ["frontline_watch/4812", "https://t.me/frontline_watch/4812", "2026-12-02T20:10:40.000Z"],
      ["frontline_watch/4811", "https://t.me/frontline_watch/4811", "2026-12-02T19:45:03.000Z"],
      ["frontline_watch/4810", "https://t.me/frontline_watch/4810", "2026-12-02T17:02:11.000Z"],
    ]);
    expect(items[1]?.text).toBe(
      "Urgent: a drone struck near the Harir base north of Erbil this evening. Sirens were heard across the area. @frontline_watch",
    );
    // A post has no headline: its title is the opening of its text.
    expect(items[0]?.title).toBe("الطقس: أمطار خفيفة على الموصل غداً");
  });

  test("a page where nothing looks like a post or a channel is a layout error", () => {
    const changed = `<html><body><div class="message-card" data-id="4811"><p>a drone struck</p></div></body></html>`;
    expect(() => readTelegramPage(changed, URL)).toThrow(
      /no Telegram posts recognised on https:\/\/t\.me\/s\/frontline_watch .*layout may have changed/,
    );
  });

  test("a page of 10,000 posts is read to its newest 200, the preview's own order kept", () => {
    const posts = Array.from(
      { length: 10_000 },
      (_, i) =>
        `<div class="tgme_widget_message" data-post="frontline_watch/${i + 1}"><div class="tgme_widget_message_text">post ${i + 1}</div></div>`,
    ).join("");
    const parsed = readTelegramPage(`<html><body>${posts}</body></html>`, URL);
    expect(parsed.entries).toHaveLength(200);
    expect(parsed.entries.map((e) => e.guid).slice(0, 1)).toEqual(["frontline_watch/9801"]);
    expect(parsed.entries.at(-1)?.guid).toBe("frontline_watch/10000");
  });
});
