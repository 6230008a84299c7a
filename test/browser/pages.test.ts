import { describe, expect, test } from "vitest";
import { rssFeed, type Story } from "../fixtures/stories/wire.ts";
import { startFeedServer } from "../helpers/feed-server.ts";
import { weekOfNews } from "../integration/http/recent-fixtures.ts";
import { ADMIN_TOKEN, baseYaml, linkIn } from "../integration/http/web-harness.ts";
import { haveChromium } from "./chromium.ts";
import { useBrowserSession } from "./session.ts";

describe.skipIf(!haveChromium)("in a real browser", () => {
  const session = useBrowserSession();

  test("subscribe, confirm from the email, switch to digest on the manage page, then unsubscribe", async () => {
    const { web, origin } = await session.web();
    web.startDeliveryWorkers();
    const page = await session.page({ timezoneId: "Asia/Baghdad" });

    await page.goto(`${origin}/subscribe`);
    // The timezone defaults to the browser's.
    expect(await page.locator("#timezone").inputValue()).toBe("Asia/Baghdad");
    await page.getByLabel("Rocket and drone attacks on bases in Iraq").check();
    await page.getByRole("radio", { name: /^As it happens/ }).check();
    await page.getByLabel("Email address").fill("editor@example.org");
    await page.getByRole("button", { name: "Subscribe" }).click();
    await page.getByRole("heading", { name: "Check your inbox" }).waitFor();

    await web.waitForMail(1);
    const mail = web.smtp.received[0];
    expect(mail?.parsed.subject).toBe("Confirm your newswatch subscription");
    await page.goto(`${origin}${linkIn(String(mail?.parsed.text), "/confirm")}`);
    await page.getByRole("button", { name: "Confirm subscription" }).click();
    await page.getByRole("heading", { name: "You are subscribed" }).waitFor();

    await page.getByRole("link", { name: "Manage your subscription" }).click();
    expect(await page.locator("#status").textContent()).toBe("active");
    await page.getByRole("radio", { name: /^Digest/ }).check();
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Your changes are saved.").waitFor();
    expect(await page.locator("#next-digest").textContent()).toMatch(/07:00 \(Asia\/Baghdad\)$/);
    const [sub] = await web.subscriptions.list();
    expect(sub).toMatchObject({ mode: "digest", timezone: "Asia/Baghdad" });

    await page.getByRole("button", { name: "Unsubscribe" }).click();
    await page.getByRole("heading", { name: "You are unsubscribed" }).waitFor();
    expect((await web.ctx.stores.statuses.get(sub?.id as string)).status).toBe("unsubscribed");
  });

  test("the admin writes a query, sees the error at its column, fixes it, previews, saves, and the next matching item alerts its subscriber", async () => {
    const feeds = session.track(await startFeedServer());
    const feedYaml = `feeds:\n  - { id: wire, url: "${feeds.origin}/wire.xml" }`;
    const { web, origin } = await session.web({ yaml: baseYaml(feedYaml) });
    web.startDeliveryWorkers();
    const now = Date.now();
    await web.ctx.stores.recent.add(weekOfNews(now), now);
    const page = await session.page();

    await page.goto(`${origin}/admin`);
    await page.getByLabel("Admin token").fill(ADMIN_TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Sources" }).waitFor();
    await page.getByRole("link", { name: "Watchlists" }).click();
    await page.getByRole("link", { name: "New watchlist" }).click();

    await page.getByLabel("Id").fill("base-strikes");
    await page.getByLabel("Title").fill("Strikes on bases");
    const query = page.getByLabel("Query");
    await query.fill("(rocket OR rockets OR drone AND base");
    const error = page.locator("#query-error");
    await error.waitFor();
    expect(await error.getAttribute("data-column")).toBe(
      String("(rocket OR rockets OR drone AND base".length + 1),
    );
    expect(await error.textContent()).toMatch(/column 37/);
    expect(await query.getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#query-highlight .tok-error").count()).toBe(1);

    await query.fill("(rocket OR rockets OR drone) AND base");
    await page.locator("#preview-total").waitFor();
    await expect.poll(() => page.locator("#query-error").count()).toBe(0);
    await expect.poll(() => page.locator("#preview-total").textContent()).toBe("2");
    const hits = await page.locator(".hits .hit-title").allTextContents();
    expect(hits).toEqual([
      "Rockets hit Ain al-Asad air base in Iraq",
      "<script>alert(1)</script> Drone strike on base near Baghdad",
    ]);
    expect(await page.locator(".hits mark").count()).toBeGreaterThan(0);
    expect(await page.locator("#query-highlight .tok-op").allTextContents()).toEqual([
      "OR",
      "OR",
      "AND",
    ]);

    await page.getByRole("button", { name: "Save watchlist" }).click();
    await page.getByText("Saved.").waitFor();
    expect(web.apiWatchlistIds()).toEqual(["base-strikes"]);

    // A subscriber to the new watchlist, confirmed.
    await fetch(`${origin}/api/subscriptions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "watch@example.org", watchlists: ["base-strikes"] }),
    });
    await web.waitForMail(1);
    await fetch(`${origin}${linkIn(String(web.smtp.received[0]?.parsed.text), "/confirm")}`, {
      method: "POST",
    });

    const old: Story = {
      guid: "old-1",
      title: "Drone hits base near Mosul",
      text: "An old report.",
      published: new Date(now - 86_400_000).toISOString(),
      matches: true,
    };
    feeds.serve("/wire.xml", rssFeed("Test Wire", feeds.origin, [old]));
    await web.poll("wire"); // first poll: the backlog is recorded, never alerted
    const fresh: Story = {
      guid: "new-1",
      title: "Rockets strike Victory base at Baghdad airport",
      text: "Three rockets hit the base this morning.",
      published: new Date().toISOString(),
      matches: true,
    };
    feeds.serve("/wire.xml", rssFeed("Test Wire", feeds.origin, [fresh, old]));
    const outcome = await web.poll("wire");
    expect(outcome.status).toBe("ok");
    await web.waitForMail(2);
    const alert = web.smtp.received[1];
    expect(alert?.rcptTo).toEqual(["watch@example.org"]);
    expect(alert?.parsed.subject).toBe(`[Strikes on bases] ${fresh.title}`);
  });

  test("the sources page shows the failing feed first", async () => {
    const feedYaml = `feeds:
  - { id: calm, url: "http://127.0.0.1:9/calm.xml", title: "Calm Wire" }
  - { id: broken, url: "http://127.0.0.1:9/broken.xml", title: "Broken Ministry" }`;
    const { web, origin } = await session.web({ yaml: baseYaml(feedYaml) });
    const now = Date.now();
    await web.ctx.stores.feedStates.update("calm", { lastSuccessAt: now, lastNewItemAt: now });
    await web.ctx.stores.feedStates.update("broken", {
      lastSuccessAt: now - 86_400_000,
      consecutiveErrors: 3,
      errorCategory: "connect",
      lastError: "connection refused",
    });
    const page = await session.page({ viewport: { width: 390, height: 844 } });
    await page.goto(`${origin}/admin`);
    await page.getByLabel("Admin token").fill(ADMIN_TOKEN);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Sources" }).waitFor();
    const first = page.locator("#sources > li").first();
    expect(await first.getAttribute("data-feed")).toBe("broken");
    expect(await first.locator(".badge").first().textContent()).toBe("failing");
    expect(await first.textContent()).toContain("connection refused");
  });
});
