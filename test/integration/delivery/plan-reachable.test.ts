import { afterEach, beforeEach, expect, test } from "vitest";
import { refreshFeed } from "../../../src/pipeline/refresh-feed.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { BACKLOG, rssFeed, TAJI } from "../../fixtures/stories/wire.ts";
import { testContext } from "../../helpers/context.ts";
import { type FeedServer, startFeedServer } from "../../helpers/feed-server.ts";
import { dropPrefix, uniquePrefix } from "../../helpers/redis.ts";

let server: FeedServer;
let prefix: string;
let ctx: AppContext;

const hook = (name: string) => `{ url: "https://hooks.example.org/${name}" }`;

beforeEach(async () => {
  server = await startFeedServer();
  prefix = uniquePrefix("plan-reachable");
  ctx = await testContext(
    `
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s }
feeds: [{ id: wire, url: "${server.origin}/wire.xml" }]
watchlists: [{ id: bases, title: Bases, query: "rocket AND (base OR taji)" }]
subscribers:
  - { id: desk, email: desk@example.org, watchlists: [bases] }
  - { id: pending, email: pending@example.org, watchlists: [bases] }
  - { id: left, email: left@example.org, webhook: ${hook("left")}, watchlists: [bases] }
  - { id: away, email: away@example.org, watchlists: [bases] }
  - { id: bounced, email: bounced@example.org, watchlists: [bases] }
  - { id: siem, email: siem@example.org, webhook: ${hook("siem")}, watchlists: [bases] }
  - { id: gonehook, email: gonehook@example.org, webhook: ${hook("gone")}, watchlists: [bases] }
`,
    prefix,
  );
  const { statuses } = ctx.stores;
  await statuses.set("pending", "unconfirmed", null);
  await statuses.set("left", "unsubscribed", "one-click unsubscribe");
  await statuses.set("away", "paused", null);
  await statuses.set("bounced", "suppressed", "550 No such user here");
  await statuses.set("siem", "suppressed", "550 No such user here");
  await statuses.disableChannel("gonehook", "webhook", "410 Gone");
});
afterEach(async () => {
  await ctx.close();
  await server.close();
  await dropPrefix(prefix);
});

const queued = async (channel: "email" | "webhook") =>
  (await ctx.queues.forChannel(channel).getJobs(["waiting", "delayed"]))
    .map((j) => j.data.subscriberId as string)
    .sort();

test("a matching item is queued only for subscribers and channels that can receive it", async () => {
  server.serve("/wire.xml", rssFeed("Wire", server.origin, BACKLOG));
  await refreshFeed("wire", ctx.refreshDeps()); // the first poll only records the backlog
  server.serve("/wire.xml", rssFeed("Wire", server.origin, [...BACKLOG, TAJI]));
  const poll = await refreshFeed("wire", ctx.refreshDeps());
  expect(poll.matchedItems).toBe(1);

  // Unconfirmed, unsubscribed and paused people get nothing queued; a bounced address loses
  // its email but keeps its webhook, and a 410 webhook loses only the webhook.
  expect(await queued("email")).toEqual(["desk", "gonehook"]);
  expect(await queued("webhook")).toEqual(["siem"]);
});
