import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { alertView } from "../../../src/channels/message-view.ts";
import { loadEmailTemplates } from "../../../src/channels/templates.ts";
import type { Alert } from "../../../src/model/alert.ts";
import { refreshFeed } from "../../../src/pipeline/refresh-feed.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { rssFeed, type Story } from "../../fixtures/stories/wire.ts";
import { useTestContexts } from "../../helpers/context.ts";
import { type FeedServer, startFeedServer } from "../../helpers/feed-server.ts";

let server: FeedServer;
const contexts = useTestContexts("full-text");

const config = (fullText: boolean) => `
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s }
feeds:
  - { id: wire, url: "${server.origin}/wire.xml", fullText: ${fullText} }
watchlists:
  - { id: bases, title: Bases, query: 'drone AND base' }
subscribers:
  - { id: desk, email: desk@example.org, watchlists: [bases] }
`;

/** A headline-only item: the words that decide the match are only in the article. */
const HEADLINE: Story = {
  guid: "w-1",
  title: "Explosions heard north of Erbil",
  text: "",
  published: "2026-12-02T19:00:00Z",
  matches: true,
};
const DIRECT: Story = {
  guid: "w-2",
  title: "Drone shot down near Ain al-Asad base",
  text: "Air defences intercepted a drone approaching the base.",
  published: "2026-12-02T18:00:00Z",
  matches: true,
};

function articlePage(paragraphs: string[]): string {
  return `<!DOCTYPE html><html lang="en"><head><title>Story</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<main><article><h1>Explosions heard north of Erbil</h1>
${paragraphs.map((p) => `<p>${p}</p>`).join("\n")}
</article></main>
<aside><h3>Most read</h3><ul><li><a href="/x">Football: Erbil wins the cup</a></li></ul></aside>
<footer>© Wire</footer></body></html>`;
}

const STORY = [
  "Residents of Harir, north of Erbil, said they heard two loud explosions shortly after seven in the evening, followed by sirens from the direction of the military airfield.",
  "Two security officials said a drone had struck an empty hangar at the base, which hosts Coalition advisers. Nobody was hurt, according to a statement released later in the night.",
  "The regional government said it was investigating where the aircraft had been launched from, and called on Baghdad to act against the groups responsible for repeated attacks.",
];

async function alerts(ctx: AppContext): Promise<Alert[]> {
  const jobs = await ctx.queues.email.getJobs(["waiting", "delayed", "active", "completed"]);
  return jobs.map((j) => j.data.message.alert as Alert);
}

const articleRequests = () => server.requests.filter((r) => r.path.startsWith("/news/")).length;

beforeEach(async () => {
  server = await startFeedServer();
});
afterEach(async () => {
  await server.close();
});

describe("fullText: true", () => {
  test("a headline-only item matches on its article's text, and the alert says the match is in the full article only", async () => {
    server.serve("/wire.xml", rssFeed("Wire", server.origin, []));
    const ctx = await contexts.open(config(true));
    await refreshFeed("wire", ctx.refreshDeps());
    server.serve(`/news/${HEADLINE.guid}`, articlePage(STORY), "text/html; charset=utf-8");
    server.serve(`/news/${DIRECT.guid}`, articlePage(["short"]), "text/html");
    server.serve("/wire.xml", rssFeed("Wire", server.origin, [HEADLINE, DIRECT]));

    const outcome = await refreshFeed("wire", ctx.refreshDeps());
    expect(outcome).toMatchObject({ status: "ok", newItems: 2, matchedItems: 2 });
    const byTitle = new Map((await alerts(ctx)).map((a) => [a.item.title, a]));
    const headline = byTitle.get(HEADLINE.title);
    expect(headline?.foundInFullText).toBe(true);
    expect(headline?.snippet.filter((s) => s.hit).map((s) => s.text.toLowerCase())).toEqual(
      expect.arrayContaining(["drone", "base"]),
    );
    // The feed's own text was enough for the other: nothing to say.
    expect(byTitle.get(DIRECT.title)?.foundInFullText).toBeUndefined();
    // The alert keeps the feed's text; the article only decided the match.
    expect(headline?.item.text).toBe("");

    const mail = loadEmailTemplates().render(
      "alert",
      alertView(headline as Alert, undefined, { signal: new AbortController().signal }),
    );
    expect(mail.text).toContain("Found in the full article only");
  });

  test("articles are fetched once for new items only, never for items already seen", async () => {
    server.serve("/wire.xml", rssFeed("Wire", server.origin, []));
    const ctx = await contexts.open(config(true));
    await refreshFeed("wire", ctx.refreshDeps());
    server.serve(`/news/${HEADLINE.guid}`, articlePage(STORY), "text/html");
    server.serve("/wire.xml", rssFeed("Wire", server.origin, [HEADLINE]));
    await refreshFeed("wire", ctx.refreshDeps());
    expect(articleRequests()).toBe(1);

    // The feed changes (so it is parsed again) but lists the same item: no second fetch.
    server.serve("/wire.xml", `${rssFeed("Wire", server.origin, [HEADLINE])}\n<!-- rebuilt -->`);
    expect(await refreshFeed("wire", ctx.refreshDeps())).toMatchObject({
      status: "ok",
      newItems: 0,
    });
    expect(articleRequests()).toBe(1);
  });

  test("an article that cannot be fetched falls back to the feed's text, and the poll still succeeds", async () => {
    server.serve("/wire.xml", rssFeed("Wire", server.origin, []));
    const ctx = await contexts.open(config(true));
    await refreshFeed("wire", ctx.refreshDeps());
    server.fail(`/news/${HEADLINE.guid}`, 500);
    server.fail(`/news/${DIRECT.guid}`, 404);
    server.serve("/wire.xml", rssFeed("Wire", server.origin, [HEADLINE, DIRECT]));
    const outcome = await refreshFeed("wire", ctx.refreshDeps());
    expect(outcome).toMatchObject({ status: "ok", newItems: 2, matchedItems: 1 });
    expect((await alerts(ctx)).map((a) => a.item.title)).toEqual([DIRECT.title]);
  });

  test("without fullText no article is fetched", async () => {
    server.serve("/wire.xml", rssFeed("Wire", server.origin, []));
    const ctx = await contexts.open(config(false));
    await refreshFeed("wire", ctx.refreshDeps());
    server.serve(`/news/${HEADLINE.guid}`, articlePage(STORY), "text/html");
    server.serve("/wire.xml", rssFeed("Wire", server.origin, [HEADLINE]));
    expect(await refreshFeed("wire", ctx.refreshDeps())).toMatchObject({ matchedItems: 0 });
    expect(articleRequests()).toBe(0);
  });
});
