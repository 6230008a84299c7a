import { afterEach, beforeEach, expect, test } from "vitest";
import { refreshFeed } from "../../../src/pipeline/refresh-feed.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { startWorkers } from "../../../workers/index.ts";
import { rssFeed, type Story } from "../../fixtures/stories/wire.ts";
import { useTestContexts } from "../../helpers/context.ts";
import { type FeedServer, startFeedServer } from "../../helpers/feed-server.ts";

let server: FeedServer;
const contexts = useTestContexts("corroborate");

beforeEach(async () => {
  server = await startFeedServer();
});
afterEach(async () => {
  await server.close();
});

const now = () => new Date(Date.now() - 600_000).toISOString();
const TAJI: Story = {
  guid: "a-1",
  title: "Two Katyusha rockets hit Taji base north of Baghdad",
  text: "Two rockets struck Camp Taji late on Tuesday, security sources said.",
  published: now(),
  matches: true,
};
const TAJI_B: Story = {
  guid: "b-1",
  title: "Rockets strike Taji base hosting coalition trainers",
  text: "A base north of Baghdad came under rocket fire, officials said.",
  published: now(),
  matches: true,
};
const ERBIL: Story = {
  guid: "a-2",
  title: "Rocket lands near Erbil airport base",
  text: "A rocket fell near the airport in Erbil.",
  published: now(),
  matches: true,
};

const yaml = (within: string) => `
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s }
feeds:
  - { id: wire-a, title: Wire A, url: "${server.origin}/a.xml", group: a }
  - { id: wire-b, title: Wire B, url: "${server.origin}/b.xml", group: b }
watchlists:
  - { id: bases, title: Bases, query: "rocket AND base", minSources: 2, corroborateWithin: ${within} }
subscribers:
  - { id: desk, email: desk@example.org, watchlists: [bases] }
`;

async function alertJobs(ctx: AppContext) {
  const jobs = await ctx.queues.email.getJobs(["waiting", "delayed", "active", "completed"]);
  return jobs
    .filter((j) => j.data.message.kind === "alert")
    .map((j) => ({
      title: j.data.message.alert.item.title as string,
      outlets: j.data.message.alert.outlets as number,
      note: (j.data.message.note as string | undefined) ?? null,
    }));
}

async function poll(ctx: AppContext) {
  for (const feed of ["wire-a", "wire-b"]) await refreshFeed(feed, ctx.refreshDeps());
}

async function firstPolls(ctx: AppContext) {
  server.serve("/a.xml", rssFeed("A", server.origin, []));
  server.serve("/b.xml", rssFeed("B", server.origin, []));
  await poll(ctx);
}

test("with minSources 2 the alert waits for a second outlet and goes out when it comes", async () => {
  const ctx = await contexts.open(yaml("30m"));
  await firstPolls(ctx);
  server.serve("/a.xml", rssFeed("A", server.origin, [TAJI]));
  await poll(ctx);
  expect(await alertJobs(ctx)).toEqual([]);
  expect((await ctx.queues.digest.getJobs(["delayed"])).map((j) => j.name)).toEqual([
    "corroborate",
  ]);

  server.serve("/b.xml", rssFeed("B", server.origin, [TAJI_B]));
  await poll(ctx);
  expect(await alertJobs(ctx)).toEqual([{ title: TAJI_B.title, outlets: 2, note: null }]);
});

test("a story no second outlet carries goes out after corroborateWithin, marked single-source", async () => {
  const ctx = await contexts.open(yaml("1s"));
  await firstPolls(ctx);
  server.serve("/a.xml", rssFeed("A", server.origin, [ERBIL]));
  await poll(ctx);
  expect(await alertJobs(ctx)).toEqual([]);

  const workers = startWorkers(ctx, ["digest"]);
  try {
    const deadline = Date.now() + 20_000;
    while ((await alertJobs(ctx)).length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
  } finally {
    await workers.close();
  }
  expect(await alertJobs(ctx)).toEqual([
    {
      title: ERBIL.title,
      outlets: 1,
      note: "Single source: no other outlet carried this story within 1 s.",
    },
  ]);
});
