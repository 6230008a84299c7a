import { afterEach, beforeEach, expect, test } from "vitest";
import type { FeedItem } from "../../../src/model/item.ts";
import { refreshFeed } from "../../../src/pipeline/refresh-feed.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { rssFeed, type Story } from "../../fixtures/stories/wire.ts";
import { useTestContexts } from "../../helpers/context.ts";
import { type FeedServer, startFeedServer } from "../../helpers/feed-server.ts";

let server: FeedServer;
const contexts = useTestContexts("story-updates");

beforeEach(async () => {
  server = await startFeedServer();
});
afterEach(async () => {
  await server.close();
});

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

const FIRST: Story = {
  guid: "a-1",
  title: "Two Katyusha rockets hit Taji base north of Baghdad",
  text: "Two rockets struck Camp Taji late on Tuesday; nobody was hurt.",
  published: hoursAgo(1),
  matches: true,
};
const LATER: Story = {
  guid: "b-1",
  title: "Group claims rocket strike on Taji base, two soldiers wounded",
  text: "An armed faction claimed responsibility for the rocket attack on the Taji base, which wounded two soldiers.",
  published: hoursAgo(1),
  matches: true,
};

const yaml = (server: FeedServer) => `
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s }
feeds:
  - { id: wire-a, url: "${server.origin}/a.xml", group: a }
  - { id: wire-b, url: "${server.origin}/b.xml", group: b }
watchlists:
  - { id: bases, title: Bases, query: "rocket AND taji" }
subscribers:
  - { id: desk, email: desk@example.org, updates: immediate, watchlists: [bases] }
`;

async function emailJobs(ctx: AppContext): Promise<string[]> {
  const jobs = await ctx.queues.email.getJobs(["waiting", "delayed", "active", "completed"]);
  return jobs.map((j) => j.data.message.kind as string).sort();
}

async function pollBoth(ctx: AppContext) {
  for (const feed of ["wire-a", "wire-b"]) await refreshFeed(feed, ctx.refreshDeps());
}

test("a story's update after the subscriber left sends nothing", async () => {
  const ctx = await contexts.open(yaml(server));
  server.serve("/a.xml", rssFeed("A", server.origin, []));
  server.serve("/b.xml", rssFeed("B", server.origin, []));
  await pollBoth(ctx);
  server.serve("/a.xml", rssFeed("A", server.origin, [FIRST]));
  await pollBoth(ctx);
  expect(await emailJobs(ctx)).toEqual(["alert"]);

  await ctx.stores.statuses.set("desk", "unsubscribed", "left");
  server.serve("/b.xml", rssFeed("B", server.origin, [LATER]));
  await pollBoth(ctx);
  expect(await emailJobs(ctx)).toEqual(["alert"]);
});

test("the same subscriber still in gets that update, threaded to the story", async () => {
  const ctx = await contexts.open(yaml(server));
  server.serve("/a.xml", rssFeed("A", server.origin, []));
  server.serve("/b.xml", rssFeed("B", server.origin, []));
  await pollBoth(ctx);
  server.serve("/a.xml", rssFeed("A", server.origin, [FIRST]));
  server.serve("/b.xml", rssFeed("B", server.origin, [LATER]));
  await pollBoth(ctx);
  expect(await emailJobs(ctx)).toEqual(["alert", "update"]);
});

const item = (feedId: string, story: Story): FeedItem => ({
  id: story.guid,
  feedId,
  title: story.title,
  link: `https://${feedId}.example/${story.guid}`,
  published: story.published,
  author: null,
  categories: [],
  text: story.text,
  contentHash: story.guid,
});

test("a report dated before the story's first one (clock skew) still joins it, and what it adds is told", async () => {
  const ctx = await contexts.open(yaml(server));
  const stories = ctx.stores.stories;
  const first = await stories.resolve(
    item("wire-a", FIRST),
    { id: "wire-a", title: "A", url: "https://a.example/feed" },
    new Date(),
  );
  const skewed = { ...LATER, published: hoursAgo(3) };
  const later = await stories.resolve(
    item("wire-b", skewed),
    { id: "wire-b", title: "B", url: "https://b.example/feed" },
    new Date(),
  );
  expect(later.storyId).toBe(first.storyId);
  expect(later.first).toBe(false);
  expect(later.changes).toEqual(expect.arrayContaining(["responsibility claimed", "2 wounded"]));
  expect(later.outlets).toBe(2);
  expect((await stories.reports(first.storyId)).map((r) => r.feedId)).toEqual(["wire-a", "wire-b"]);
});

test("outlets of one owner count once: the same host, or one feed group", async () => {
  const ctx = await contexts.open(yaml(server));
  const stories = ctx.stores.stories;
  await stories.resolve(item("wire-a", FIRST), {
    id: "wire-a",
    title: "A",
    url: "https://www.news.example/world.xml",
  });
  const sameHost = await stories.resolve(item("wire-b", LATER), {
    id: "wire-b",
    title: "A Iraq",
    url: "https://news.example/iraq.xml",
  });
  expect(sameHost.outlets).toBe(1);
  const grouped = await stories.resolve(
    item("wire-c", { ...LATER, guid: "c-1", title: "Taji base rocket attack claimed" }),
    { id: "wire-c", title: "C", url: "https://other.example/x.xml", group: "c" },
  );
  expect(grouped.outlets).toBe(2);
});
