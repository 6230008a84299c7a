import { afterEach, beforeEach, expect, test } from "vitest";
import { refreshFeed } from "../../../src/pipeline/refresh-feed.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { type RunningWorkers, startWorkers } from "../../../workers/index.ts";
import { rssFeed, type Story } from "../../fixtures/stories/wire.ts";
import { useTestContexts } from "../../helpers/context.ts";
import { type FeedServer, startFeedServer } from "../../helpers/feed-server.ts";
import { type Homeserver, startHomeserver } from "../../helpers/homeserver.ts";
import { waitFor } from "../../helpers/wait.ts";

const contexts = useTestContexts("matrix-thread");
let feeds: FeedServer;
let homeserver: Homeserver;
let running: RunningWorkers | undefined;

beforeEach(async () => {
  [feeds, homeserver] = await Promise.all([startFeedServer(), startHomeserver()]);
});
afterEach(async () => {
  await running?.close();
  running = undefined;
  await Promise.all([feeds.close(), homeserver.close()]);
});

const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();
const FIRST: Story = {
  guid: "a-1",
  title: "Two Katyusha rockets hit Taji base north of Baghdad",
  text: "Two rockets struck Camp Taji late on Tuesday; nobody was hurt.",
  published: hourAgo(),
  matches: true,
};
const LATER: Story = {
  guid: "b-1",
  title: "Group claims rocket strike on Taji base, two soldiers wounded",
  text: "An armed faction claimed the rocket attack on the Taji base, which wounded two soldiers.",
  published: hourAgo(),
  matches: true,
};

async function openDesk(): Promise<AppContext> {
  const ctx = await contexts.open(`
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s }
feeds:
  - { id: wire-a, url: "${feeds.origin}/a.xml", group: a }
  - { id: wire-b, url: "${feeds.origin}/b.xml", group: b }
watchlists: [{ id: bases, title: Bases, query: "rocket AND taji" }]
subscribers:
  - id: ops
    updates: immediate
    matrix: { homeserver: "${homeserver.origin}", room: "!ops:example.org", accessToken: t }
    watchlists: [bases]
`);
  feeds.serve("/a.xml", rssFeed("A", feeds.origin, []));
  feeds.serve("/b.xml", rssFeed("B", feeds.origin, []));
  await pollBoth(ctx);
  return ctx;
}

async function pollBoth(ctx: AppContext) {
  for (const feed of ["wire-a", "wire-b"]) await refreshFeed(feed, ctx.refreshDeps());
}

test("a story's update is posted in the Matrix thread of its first alert", async () => {
  const ctx = await openDesk();
  feeds.serve("/a.xml", rssFeed("A", feeds.origin, [FIRST]));
  await pollBoth(ctx);
  running = startWorkers(ctx, ["deliver"], { retryDelayMs: () => 20 });
  await waitFor("the alert reaches the room", () => homeserver.requests.length === 1);
  const [root] = homeserver.eventsIn("!ops:example.org");

  feeds.serve("/b.xml", rssFeed("B", feeds.origin, [LATER]));
  await pollBoth(ctx);
  await waitFor("the update reaches the room", () => homeserver.requests.length === 2);

  const [alert, update] = homeserver.requests;
  expect(alert?.content["m.relates_to"]).toBeUndefined();
  expect(update?.content.body).toContain("Update:");
  expect(update?.content.body).toContain(LATER.title);
  expect(update?.content["m.relates_to"]).toEqual({
    rel_type: "m.thread",
    event_id: root?.eventId,
    is_falling_back: true,
    "m.in_reply_to": { event_id: root?.eventId },
  });
});

test("an update whose first alert has not reached the room yet goes as a message of its own", async () => {
  const ctx = await openDesk();
  // The room refuses the alert for now (a 500, retried a minute later): the update comes first.
  homeserver.script("!ops:example.org", { status: 500 });
  feeds.serve("/a.xml", rssFeed("A", feeds.origin, [FIRST]));
  await pollBoth(ctx);
  running = startWorkers(ctx, ["deliver"], { retryDelayMs: () => 60_000 });
  await waitFor("the alert was refused", () => homeserver.requests.length === 1);
  feeds.serve("/b.xml", rssFeed("B", feeds.origin, [LATER]));
  await pollBoth(ctx);
  await waitFor("the update was tried", () => homeserver.requests.length === 2);

  const [alert, update] = homeserver.requests;
  expect(alert?.content.body).not.toContain("Update:");
  expect(update?.content.body).toContain("Update:");
  expect(update?.content["m.relates_to"]).toBeUndefined();
  expect(homeserver.eventsIn("!ops:example.org")).toHaveLength(1);
});
