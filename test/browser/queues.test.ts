import { describe, expect, test } from "vitest";
import { ADMIN_TOKEN } from "../integration/http/web-harness.ts";
import { haveChromium } from "./chromium.ts";
import { useBrowserSession } from "./session.ts";

describe.skipIf(!haveChromium)("the queues dashboard in a real browser", () => {
  const session = useBrowserSession();

  test("loads nothing from another origin, runs under its CSP, and pauses a queue from its menu", async () => {
    const { web, origin } = await session.web();
    const page = await session.page();
    page.setDefaultTimeout(5_000);
    const elsewhere: string[] = [];
    const blocked: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(origin)) elsewhere.push(r.url());
    });
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) blocked.push(m.text());
    });

    await page.goto(`${origin}/admin`);
    await page.getByLabel(/token/i).fill(ADMIN_TOKEN);
    await page.getByRole("button", { name: /sign in/i }).click();
    await page.getByRole("link", { name: "Queues" }).click();
    // "poll" is in the sidebar at once, and on its card once the queues have loaded.
    const poll = page.getByText("poll", { exact: true });
    await expect.poll(() => poll.count()).toBe(2);
    const card = poll.last().locator("xpath=ancestor::*[.//button][1]");
    // The dashboard's own requests carry the CSRF header that our script adds: Pause works.
    await card.locator("button").last().click();
    await page.getByText("Pause", { exact: true }).click();
    await page.getByRole("button", { name: "Confirm" }).click();
    const deadline = Date.now() + 5_000;
    while (!(await web.ctx.queues.poll.isPaused()) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(await web.ctx.queues.poll.isPaused()).toBe(true);
    expect(elsewhere).toEqual([]);
    expect(blocked).toEqual([]);
  });
});
