import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { ADMIN_TOKEN } from "../integration/http/web-harness.ts";
import { haveChromium } from "./chromium.ts";
import { type BrowserSession, useBrowserSession } from "./session.ts";

const TAJI = `Two Katyusha rockets hit Taji military base north of Baghdad
BAGHDAD (Reuters) - Two Katyusha rockets struck Taji military base, north of Baghdad, on Tuesday, the Iraqi military said. A third rocket landed near the Green Zone in central Baghdad, where the U.S. embassy is located. Rocket attacks on bases hosting U.S. troops in Iraq have been frequent.`;

/** Signs in and opens the New watchlist editor. */
async function openEditor(session: BrowserSession): Promise<Page> {
  const { origin } = await session.web();
  const page = await session.page();
  page.setDefaultTimeout(10_000);
  await page.goto(`${origin}/admin`);
  await page.getByLabel("Admin token").fill(ADMIN_TOKEN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Sources" }).waitFor();
  await page.goto(`${origin}/admin/watchlists/new`);
  return page;
}

describe.skipIf(!haveChromium)("the watchlist editor's script in a real browser", () => {
  const session = useBrowserSession();

  test("an error on the second line gets its caret under that line, at its column", async () => {
    const page = await openEditor(session);
    await page.getByLabel("Query").fill("rocket OR\ndrone AND ) base");
    const error = page.locator("#query-error");
    await error.waitFor();
    expect(await error.textContent()).toMatch(/at column 21 \(line 2, column 11\)$/);
    expect(await page.locator("#query-status pre.caret").textContent()).toBe(
      `drone AND ) base\n${" ".repeat(10)}^`,
    );
    expect(await page.locator("#query-highlight .tok-error").textContent()).toBe(")");
  });

  test("Suggest fills in the query and lists why each part was chosen", async () => {
    const page = await openEditor(session);
    await page.getByText("Suggest a query from an article").click();
    await page.getByLabel("Paste an article's text").fill(TAJI);
    await page.getByRole("button", { name: "Suggest a query" }).click();
    await page.locator("#suggest-reasons ul.reasons").waitFor();
    expect(await page.getByLabel("Query").inputValue()).toMatch(
      /^\(@indirect_fire OR @drones\) AND /,
    );
    const headings = await page
      .locator("#suggest-reasons ul.reasons > li")
      .evaluateAll((lis) => lis.map((li) => li.firstChild?.textContent));
    expect(headings).toEqual([
      "what happened (any of):",
      "what was hit (any of):",
      "where (any of):",
      "without (shares the words, is not an attack):",
    ]);
    expect(await page.locator("#suggest-reasons ul.reasons ul li").allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^@indirect_fire: "katyusha"/)]),
    );
    expect(page.url()).toMatch(/\/admin\/watchlists\/new$/);
  });
});
