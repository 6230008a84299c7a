import { afterEach, beforeEach, expect, test } from "vitest";
import { refreshFeed } from "../../../src/pipeline/refresh-feed.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { rssFeed, type Story } from "../../fixtures/stories/wire.ts";
import { useTestContexts } from "../../helpers/context.ts";
import { type FeedServer, startFeedServer } from "../../helpers/feed-server.ts";

let server: FeedServer;
const contexts = useTestContexts("burst");
const DAY = 86_400_000;

beforeEach(async () => {
  server = await startFeedServer();
});
afterEach(async () => {
  await server.close();
});

const yaml = () => `
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s }
admin: { email: [admin@example.org] }
feeds:
  - { id: wire, url: "${server.origin}/wire.xml" }
watchlists:
  - { id: bases, title: Bases, query: rocket }
subscribers:
  - { id: desk, email: desk@example.org, watchlists: [bases] }
`;

const items = (from: number, n: number): Story[] =>
  Array.from({ length: n }, (_, i) => ({
    guid: `g${from + i}`,
    title: `Rocket report number ${from + i} from district ${from + i}`,
    text: `Item ${from + i}.`,
    published: new Date(Date.now() - i * 1000).toISOString(),
    matches: true,
  }));

async function queued(ctx: AppContext): Promise<{ kind: string; to: string }[]> {
  const jobs = await ctx.queues.email.getJobs(["waiting", "delayed", "active", "completed"]);
  return jobs.map((j) => ({ kind: j.data.message.kind, to: j.data.subscriberId }));
}

test("a feed bringing far more new items than on any recent day is held: no alerts, and the admin is told once", async () => {
  const ctx = await contexts.open(yaml());
  server.serve("/wire.xml", rssFeed("Wire", server.origin, items(0, 3)));
  await refreshFeed("wire", ctx.refreshDeps());
  // Its habit: a handful of items a day for the last four days.
  for (let d = 1; d <= 4; d++)
    await ctx.stores.feedDaily.increment("wire", Date.now() - d * DAY, 6);

  server.serve("/wire.xml", rssFeed("Wire", server.origin, items(0, 400)));
  const outcome = await refreshFeed("wire", ctx.refreshDeps());
  expect(outcome.note).toMatch(/397 items held back: far more than the feed's usual rate/);
  expect(await queued(ctx)).toEqual([{ kind: "notice", to: "admin" }]);

  server.serve("/wire.xml", rssFeed("Wire", server.origin, items(0, 800)));
  await refreshFeed("wire", ctx.refreshDeps());
  expect(await queued(ctx)).toEqual([{ kind: "notice", to: "admin" }]);

  // Its usual pace alerts again.
  server.serve("/wire.xml", rssFeed("Wire", server.origin, items(0, 801)));
  await refreshFeed("wire", ctx.refreshDeps());
  expect((await queued(ctx)).filter((j) => j.kind === "alert")).toEqual([
    { kind: "alert", to: "desk" },
  ]);
});
