import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { refreshFeed } from "../../../src/pipeline/refresh-feed.ts";
import { BACKLOG, rssFeed, TAJI } from "../../fixtures/stories/wire.ts";
import { useTestContexts } from "../../helpers/context.ts";
import { type FeedServer, startFeedServer } from "../../helpers/feed-server.ts";

let server: FeedServer;
const contexts = useTestContexts("discover");

const config = (url: string) => `
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s }
feeds:
  - { id: site, url: "${url}" }
watchlists:
  - { id: bases, title: Bases, query: 'katyusha AND base' }
subscribers:
  - { id: desk, email: desk@example.org, watchlists: [bases] }
`;

/** A home page naming a comments feed first and the main feed after it, as many CMSs do. */
const homePage = (feedPath: string) => `<!DOCTYPE html>
<html><head><title>Wire</title>
<link rel="alternate" type="application/rss+xml" title="Wire » Comments Feed" href="/comments/feed/">
<link rel="alternate" type="application/rss+xml" title="Wire » Feed" href="${feedPath}">
</head><body><h1>Wire</h1><p>Latest news.</p></body></html>`;

beforeEach(async () => {
  server = await startFeedServer();
});
afterEach(async () => {
  await server.close();
});

describe("feed autodiscovery", () => {
  test("a feed URL serving an HTML page polls the main feed the page names, and later polls go straight to that feed with its validators", async () => {
    server.serve("/", homePage("/feed/"), "text/html; charset=utf-8");
    server.serve("/feed/", rssFeed("Wire", server.origin, BACKLOG));
    server.serve("/comments/feed/", rssFeed("Comments", server.origin, []));
    const ctx = await contexts.open(config(`${server.origin}/`));

    const first = await refreshFeed("site", ctx.refreshDeps());
    expect(first).toMatchObject({ status: "ok", newItems: BACKLOG.length });
    const state = await ctx.stores.feedStates.get("site");
    expect(state).toMatchObject({
      discoveredUrl: `${server.origin}/feed/`,
      discoveredFrom: `${server.origin}/`,
    });

    server.requests.length = 0;
    const second = await refreshFeed("site", ctx.refreshDeps());
    expect(second.status).toBe("not-modified");
    expect(server.requests).toEqual([{ path: "/feed/", ifNoneMatch: expect.any(String) }]);

    server.serve("/feed/", rssFeed("Wire", server.origin, [TAJI, ...BACKLOG]));
    const third = await refreshFeed("site", ctx.refreshDeps());
    expect(third).toMatchObject({ status: "ok", newItems: 1, matchedItems: 1 });
  });

  test("when the discovered feed disappears, the next poll reads the page again and follows its new feed", async () => {
    server.serve("/", homePage("/feed/"), "text/html");
    server.serve("/feed/", rssFeed("Wire", server.origin, BACKLOG));
    const ctx = await contexts.open(config(`${server.origin}/`));
    await refreshFeed("site", ctx.refreshDeps());

    server.fail("/feed/", 404);
    server.serve("/", homePage("/rss.xml"), "text/html");
    server.serve("/rss.xml", rssFeed("Wire", server.origin, [TAJI, ...BACKLOG]));
    const lost = await refreshFeed("site", ctx.refreshDeps());
    expect(lost.status).toBe("failed");
    expect((await ctx.stores.feedStates.get("site")).disabled).toBeNull();

    const found = await refreshFeed("site", ctx.refreshDeps());
    expect(found).toMatchObject({ status: "ok", newItems: 1, matchedItems: 1 });
    expect((await ctx.stores.feedStates.get("site")).discoveredUrl).toBe(
      `${server.origin}/rss.xml`,
    );
  });

  test("a page naming no feed is the feed's error, saying so", async () => {
    server.serve("/", "<!DOCTYPE html><html><head></head><body>hi</body></html>", "text/html");
    const ctx = await contexts.open(config(`${server.origin}/`));
    const outcome = await refreshFeed("site", ctx.refreshDeps());
    expect(outcome.status).toBe("failed");
    expect(outcome.error?.message).toMatch(/names no feed.*kind: html/);
    expect((await ctx.stores.feedStates.get("site")).lastError).toMatch(/names no feed/);
  });
});
