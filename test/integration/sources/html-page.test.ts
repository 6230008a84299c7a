import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { refreshFeed } from "../../../src/pipeline/refresh-feed.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { useTestContexts } from "../../helpers/context.ts";
import { type FeedServer, startFeedServer } from "../../helpers/feed-server.ts";

let server: FeedServer;
let ministry: string;
const contexts = useTestContexts("html-page");

const config = (feed: string, defaults = "") => `
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s${defaults} }
feeds:
  - ${feed}
watchlists:
  - { id: border, title: Border, query: 'drone AND (border OR base)' }
subscribers:
  - { id: desk, email: desk@example.org, watchlists: [border] }
`;

async function alertTitles(ctx: AppContext): Promise<string[]> {
  const jobs = await ctx.queues.email.getJobs(["waiting", "delayed", "active", "completed"]);
  return jobs.map((j) => j.data.message.alert.item.title as string);
}

/** The ministry page with one more story at the top of its list. */
const withNewStory = (html: string) =>
  html.replace(
    '<div class="news-list">',
    `<div class="news-list">
      <div class="news-item">
        <h3><a href="/en/news/2026/12/drone-downed-near-base">Drone downed near Ain al-Asad base</a></h3>
        <span class="date"><time datetime="2026-12-03T05:40:00+03:00">3 December 2026</time></span>
        <p>Air defences shot down a drone approaching the base before dawn.</p>
      </div>`,
  );

beforeEach(async () => {
  server = await startFeedServer();
  ministry = await readFile(
    path.join(import.meta.dirname, "../../fixtures/pages/ministry-news.html"),
    "utf8",
  );
});
afterEach(async () => {
  await server.close();
});

describe("kind: html", () => {
  test("a page's stories are polled like a feed: the first poll records them, a new story alerts once, an unchanged page answers 304", async () => {
    server.serve("/en/news/", ministry, "text/html; charset=utf-8");
    const ctx = await contexts.open(
      config(`{ id: moi, kind: html, url: "${server.origin}/en/news/" }`),
    );
    expect(await refreshFeed("moi", ctx.refreshDeps())).toMatchObject({
      status: "ok",
      newItems: 3,
      matchedItems: 0,
    });
    server.serve("/en/news/", withNewStory(ministry), "text/html; charset=utf-8");
    expect(await refreshFeed("moi", ctx.refreshDeps())).toMatchObject({
      status: "ok",
      newItems: 1,
      matchedItems: 1,
    });
    expect(await refreshFeed("moi", ctx.refreshDeps())).toMatchObject({ status: "not-modified" });
    expect(await alertTitles(ctx)).toEqual(["Drone downed near Ain al-Asad base"]);
  });

  test("a selector that matches nothing is this feed's error, with the reason kept for `feeds`", async () => {
    server.serve("/en/news/", ministry, "text/html");
    const ctx = await contexts.open(
      config(
        `{ id: moi, kind: html, url: "${server.origin}/en/news/", select: { item: ".card" } }`,
      ),
    );
    const outcome = await refreshFeed("moi", ctx.refreshDeps());
    expect(outcome).toMatchObject({ status: "failed", error: { category: "layout" } });
    expect(await ctx.stores.feedStates.get("moi")).toMatchObject({
      errorCategory: "layout",
      lastError: 'select.item ".card" matched no story with a link on the page',
      consecutiveErrors: 1,
    });
  });

  test("a page larger than the body cap is refused as too large, without parsing it", async () => {
    server.serve("/en/news/", ministry.repeat(20), "text/html");
    const ctx = await contexts.open(
      config(`{ id: moi, kind: html, url: "${server.origin}/en/news/" }`, ", maxBodyBytes: 20000"),
    );
    const outcome = await refreshFeed("moi", ctx.refreshDeps());
    expect(outcome).toMatchObject({ status: "failed", error: { category: "too-large" } });
  });
});
