import type { AddressInfo } from "node:net";
import { describe, expect, test } from "vitest";
import {
  DRILL_STORIES,
  deliverAlerts,
  feedbackLink,
  USEFUL_STORIES,
} from "../integration/http/feedback-world.ts";
import { ADMIN_TOKEN } from "../integration/http/web-harness.ts";
import { haveChromium } from "./chromium.ts";
import { useBrowserSession } from "./session.ts";

describe.skipIf(!haveChromium)("relevance feedback in a real browser", () => {
  const session = useBrowserSession();

  test("a reader follows the links of delivered alert emails and presses the button; the editor then excludes the word the not-relevant ones share", async () => {
    const world = session.track(
      await deliverAlerts([...USEFUL_STORIES, ...DRILL_STORIES], {
        listen: true,
        apiWatchlist: true,
      }),
    );
    const { port } = world.web.app.server.address() as AddressInfo;
    const origin = `http://127.0.0.1:${port}`;
    const page = await session.page();

    // The first drill report: "Not relevant", then the reader changes their mind and back.
    const drill = world.apiMails.get(DRILL_STORIES[0]?.title as string);
    await page.goto(`${origin}${feedbackLink(drill, "Not relevant")}`);
    expect(await page.locator("#alert-title").textContent()).toBe(DRILL_STORIES[0]?.title);
    expect(await page.locator("#current-vote").textContent()).toBe("none yet");
    await page.getByRole("button", { name: "Mark as not relevant" }).click();
    await page.getByText("Thank you: recorded as Not relevant").waitFor();
    expect(await page.locator("#current-vote").textContent()).toBe("Not relevant");
    await page.getByRole("button", { name: "Mark as useful" }).click();
    await page.getByText("Thank you: recorded as Useful").waitFor();
    await page.getByRole("button", { name: "Mark as not relevant" }).click();
    await page.getByText("Thank you: recorded as Not relevant").waitFor();

    const votes = [
      [DRILL_STORIES[1], "Not relevant"],
      [USEFUL_STORIES[0], "Useful"],
      [USEFUL_STORIES[1], "Useful"],
    ] as const;
    for (const [story, label] of votes) {
      await page.goto(
        `${origin}${feedbackLink(world.apiMails.get(story?.title as string), label)}`,
      );
      await page.getByRole("button", { name: `Mark as ${label.toLowerCase()}` }).click();
      await page.getByText(`Thank you: recorded as ${label}`).waitFor();
    }

    await page.goto(`${origin}/admin`);
    await page.getByLabel("Admin token").fill(ADMIN_TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Sources" }).waitFor();
    await page.goto(`${origin}/admin/watchlists/base-watch/edit`);
    expect(await page.locator("#feedback-precision").textContent()).toBe("50%");
    const notRelevant = await page.locator(".not-relevant li a").allTextContents();
    expect(notRelevant.sort()).toEqual(DRILL_STORIES.map((s) => s.title).sort());
    expect(await page.locator("#preview-total").textContent()).toBe("4");

    await page.getByRole("button", { name: "Add -drill" }).click();
    await page.getByText("Added -drill to the query").waitFor();
    expect(await page.getByLabel("Query").inputValue()).toMatch(/\) -drill$/);
    await expect.poll(() => page.locator("#preview-total").textContent()).toBe("2");
    await page.getByRole("button", { name: "Save watchlist" }).click();
    await page.getByText("Saved.").waitFor();
    expect((await world.web.ctx.apiWatchlists.get("base-watch"))?.query).toMatch(/ -drill$/);
  });
});
