import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import type { Locator, Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { createEmailChannel } from "../../src/channels/email.ts";
import type { Alert } from "../../src/model/alert.ts";
import type { Outgoing } from "../../src/model/outgoing.ts";
import { opsDigest, tajiAlert } from "../fixtures/alerts.ts";
import { recentItem } from "../integration/http/recent-fixtures.ts";
import { ADMIN_TOKEN } from "../integration/http/web-harness.ts";
import { haveChromium } from "./chromium.ts";
import { useBrowserSession } from "./session.ts";

/*
 * Feed text in Arabic reads right to left where newswatch shows it, and English text stays
 * left to right beside it: every element holding a title or snippet carries dir="auto", so
 * the browser (or mail client) takes each one's direction from its own first strong letter.
 */

const TITLE = "صاروخان يسقطان قرب قاعدة التاجي شمال بغداد";
const TEXT = "سقط صاروخان من نوع كاتيوشا داخل القاعدة فجر الثلاثاء.";

function arabicAlert() {
  const at = (source: string, word: string) => {
    const start = source.indexOf(word);
    return { start, end: start + word.length, text: word };
  };
  return tajiAlert({
    item: {
      ...tajiAlert().item,
      title: TITLE,
      text: TEXT,
      feed: { id: "sumaria", title: "السومرية نيوز", url: "https://sumaria.example/rss" },
    },
    matched: [
      { field: "title", term: "صاروخ", ...at(TITLE, "صاروخان") },
      { field: "title", term: "التاجي", ...at(TITLE, "التاجي") },
    ],
    snippet: [
      { text: "سقط ", hit: false },
      { text: "صاروخان", hit: true },
      { text: " من نوع كاتيوشا داخل القاعدة فجر الثلاثاء.", hit: false },
    ],
  });
}

/** The HTML part of a message as the email channel writes it into its outbox. */
async function emailHtml(message: Outgoing, id: string): Promise<string> {
  const outbox = await mkdtemp(path.join(os.tmpdir(), "nw-rtl-"));
  const channel = createEmailChannel({
    from: "Newswatch <alerts@newswatch.local>",
    outboxDir: outbox,
    publicUrl: "https://newswatch.example.org",
  });
  try {
    const signal = new AbortController().signal;
    await channel.send(message, { address: "ops@example.org" }, { signal });
    const eml = await readFile(path.join(outbox, `${id}.eml`));
    return String((await simpleParser(eml)).html);
  } finally {
    await channel.close();
    await rm(outbox, { recursive: true, force: true });
  }
}

const alertHtml = (alert: Alert) => emailHtml({ kind: "alert", alert }, alert.id);

const direction = (l: Locator) =>
  l.evaluate((e) => e.ownerDocument.defaultView?.getComputedStyle(e).direction);

/** True when the element's text starts at its right edge: it was laid out right to left. */
function startsAtTheRight(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).evaluate((e) => {
    const range = e.ownerDocument.createRange();
    range.selectNodeContents(e);
    const text = range.getBoundingClientRect();
    const box = e.getBoundingClientRect();
    return box.right - text.right < 2 && text.left - box.left > 20;
  });
}

describe.skipIf(!haveChromium)("right-to-left feed text in a real browser", () => {
  const session = useBrowserSession();

  test("an alert email with an Arabic title shows title, snippet and feed right to left", async () => {
    const page = await session.page();
    await page.setContent(await alertHtml(arabicAlert()));
    const title = page.getByRole("heading", { level: 1 });
    expect(await title.textContent()).toBe(TITLE);
    expect(await direction(title)).toBe("rtl");
    expect(await startsAtTheRight(page, "h1")).toBe(true);
    const snippet = page.locator("p", { has: page.locator("b") });
    expect(await direction(snippet)).toBe("rtl");
    expect(await snippet.locator("b").allTextContents()).toEqual(["صاروخان"]);
    expect(await direction(page.getByText("السومرية نيوز"))).toBe("rtl");
    // The English labels around them keep their own direction.
    expect(await direction(page.getByText("Rocket and drone attacks on bases in Iraq"))).toBe(
      "ltr",
    );
  });

  test("a digest shows an Arabic story right to left beside English ones", async () => {
    const page = await session.page();
    const digest = opsDigest();
    digest.sections[0]?.alerts.push(arabicAlert());
    await page.setContent(await emailHtml({ kind: "digest", digest }, digest.id));
    const arabic = page.getByRole("heading", { level: 3, name: TITLE });
    expect(await direction(arabic)).toBe("rtl");
    expect(await direction(page.locator("p", { has: page.getByText("صاروخان") }))).toBe("rtl");
    const english = page.getByRole("heading", { level: 3, name: tajiAlert().item.title });
    expect(await direction(english)).toBe("ltr");
  });

  test("the same email with an English title stays left to right", async () => {
    const page = await session.page();
    await page.setContent(await alertHtml(tajiAlert()));
    expect(await direction(page.getByRole("heading", { level: 1 }))).toBe("ltr");
    expect(await startsAtTheRight(page, "h1")).toBe(false);
  });

  /** The watchlist editor's preview of `صاروخ OR rocket` over an Arabic and an English item. */
  async function preview(javaScriptEnabled: boolean): Promise<Page> {
    const { web, origin } = await session.web();
    const now = Date.now();
    await web.ctx.stores.recent.add(
      [
        recentItem(1, TITLE, TEXT, now, 0, {
          id: "sumaria",
          title: "السومرية نيوز",
          url: "http://127.0.0.1/sumaria.xml",
        }),
        recentItem(2, "Rockets hit Taji base", "Two rockets struck the base.", now, 1),
      ],
      now,
    );
    const page = await session.page({ javaScriptEnabled });
    page.setDefaultTimeout(10_000);
    await page.goto(`${origin}/admin`);
    await page.getByLabel("Admin token").fill(ADMIN_TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Sources" }).waitFor();
    await page.goto(`${origin}/admin/watchlists/new`);
    await page.getByLabel("Query").fill("صاروخ OR rocket");
    if (!javaScriptEnabled) await page.getByRole("button", { name: "Preview" }).click();
    await expect.poll(() => page.locator("#preview-total").textContent()).toBe("2");
    return page;
  }

  test.each([
    ["drawn by the editor's script", true],
    ["rendered by the server, without JavaScript", false],
  ])(
    "the watchlist preview %s shows an Arabic hit right to left beside an English one",
    async (_, js) => {
      const page = await preview(js);
      const arabic = page.locator(".hits li", { hasText: TITLE });
      expect(await direction(arabic.locator(".hit-title"))).toBe("rtl");
      expect(await direction(arabic.locator(".snippet"))).toBe("rtl");
      expect(await arabic.locator("mark").allTextContents()).toEqual(["صاروخان"]);
      expect(await direction(arabic.getByText("السومرية نيوز"))).toBe("rtl");
      const english = page.locator(".hits li", { hasText: "Rockets hit Taji base" });
      expect(await direction(english.locator(".hit-title"))).toBe("ltr");
      expect(await direction(english.locator(".snippet"))).toBe("ltr");
    },
  );
});
