import { afterEach, beforeEach, expect, test } from "vitest";
import { refreshFeed } from "../../../src/pipeline/refresh-feed.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { useConfigDir } from "../../helpers/config-dir.ts";
import { type LocalServer, startLocalServer } from "../../helpers/local-server.ts";

// A publisher answering 429/503 with Retry-After is asking for a pause, not failing.
const config = useConfigDir("held");
let server: LocalServer;
let ctx: AppContext;
let broken = false;

beforeEach(async () => {
  broken = false;
  server = await startLocalServer((_req, res) => {
    if (broken) res.writeHead(500).end();
    else res.writeHead(503, { "retry-after": "3600" }).end();
  });
  ctx = await config.open(`
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s, failureNoticeAfter: 2 }
admin: { email: [admin@example.org] }
feeds:
  - { id: busy, url: "${server.origin}/busy.xml" }
`);
});
afterEach(() => server.close());

const feeds = config.feeds;
const notices = async () =>
  (await ctx.queues.email.getJobs(["waiting", "delayed", "active", "completed"])).map(
    (j) => j.data.message.notice.subject as string,
  );

test("a 503 with Retry-After shows as held in `feeds`, is counted apart from failures and sends no failure notice", async () => {
  for (let i = 0; i < 3; i++) await refreshFeed("busy", ctx.refreshDeps());
  const state = await ctx.stores.feedStates.get("busy");
  expect([state.consecutiveErrors, state.consecutiveHolds]).toEqual([0, 3]);
  expect(await notices()).toEqual([]);

  const until = new Date(state.retryAfterUntil ?? 0).toISOString().slice(0, 16).replace("T", " ");
  expect(await feeds()).toContain(`held (publisher asked to wait until ${until} UTC)`);
  const json = JSON.parse((await feeds("--json")).trim());
  expect([json.health, json.consecutiveHolds]).toEqual(["held", 3]);
});

test("real errors still count: past failureNoticeAfter the admin is told the feed is failing", async () => {
  await refreshFeed("busy", ctx.refreshDeps());
  broken = true;
  for (let i = 0; i < 2; i++) await refreshFeed("busy", ctx.refreshDeps());
  expect((await ctx.stores.feedStates.get("busy")).consecutiveErrors).toBe(2);
  expect(await notices()).toEqual(["[newswatch] feed busy is failing"]);
});
