import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { parseConfigText } from "../../../src/config/load.ts";
import { createHttpServer } from "../../../src/http/server.ts";
import { refreshFeed } from "../../../src/pipeline/refresh-feed.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { hubSignature } from "../../../src/websub/signature.ts";
import { BACKLOG, rssFeed, type Story, TAJI } from "../../fixtures/stories/wire.ts";
import { useTestContexts } from "../../helpers/context.ts";
import { type FeedServer, startFeedServer } from "../../helpers/feed-server.ts";
import { REDIS_URL } from "../../helpers/redis.ts";
import { startTestHub, type TestHub } from "../../helpers/websub-hub.ts";

let publisher: FeedServer;
let hub: TestHub;
let app: FastifyInstance | null;
const contexts = useTestContexts("websub");

const yaml = (publicUrl: string) => `
security: { allowPrivateNetworks: true }
http: { publicUrl: "${publicUrl}" }
defaults: { hostSpacing: 0s }
feeds:
  - { id: wire, url: "${publisher.origin}/feed.xml" }
watchlists:
  - { id: bases, title: Bases, query: 'katyusha AND base' }
subscribers:
  - { id: desk, email: desk@example.org, watchlists: [bases] }
`;

const topic = () => `${publisher.origin}/feed.xml`;

/** The publisher's RSS, naming the hub and its own topic URL (atom:link, WebSub §4). */
function hubbedFeed(stories: Story[]): string {
  return rssFeed("Wire", publisher.origin, stories)
    .replace("<rss ", '<rss xmlns:atom="http://www.w3.org/2005/Atom" ')
    .replace(
      "<channel>",
      `<channel>\n    <atom:link rel="hub" href="${hub.url}"/>\n    <atom:link rel="self" href="${topic()}"/>`,
    );
}

/** A context whose HTTP server (the WebSub callback) listens on loopback, publicUrl set to it. */
async function openWithCallback(): Promise<AppContext> {
  const ctx = await contexts.open(yaml("http://127.0.0.1:9/"));
  app = await createHttpServer(ctx, { workersRunning: () => true });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const port = (app.server.address() as { port: number }).port;
  const env = { REDIS_URL, NEWSWATCH_PREFIX: contexts.prefix };
  ctx.reload(parseConfigText(yaml(`http://127.0.0.1:${port}/`), "test.yaml", env));
  return ctx;
}

async function alertTitles(ctx: AppContext): Promise<string[]> {
  const jobs = await ctx.queues.email.getJobs(["waiting", "delayed", "active", "completed"]);
  return jobs.map((j) => j.data.message.alert.item.title as string);
}

beforeEach(async () => {
  publisher = await startFeedServer();
  app = null;
});
afterEach(async () => {
  await app?.close();
  await hub?.close();
  await publisher.close();
});

describe("WebSub push", () => {
  test("a feed naming a hub is subscribed with a secret; a signed push alerts at once; polling goes on at the slow end", async () => {
    hub = await startTestHub({ leaseSeconds: 7200 });
    publisher.serve("/feed.xml", hubbedFeed(BACKLOG));
    const ctx = await openWithCallback();

    expect(await refreshFeed("wire", ctx.refreshDeps())).toMatchObject({ status: "ok" });
    const sub = await hub.whenVerified(topic());
    expect(sub.callback).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/websub\/wire\/[0-9a-f]{32}$/);
    expect(sub.secret).toMatch(/^[0-9a-f]{48}$/);
    expect(await ctx.stores.websub.get("wire")).toMatchObject({ state: "verified", hub: hub.url });

    // The next poll sees the lease: the one after it comes at the slow end, before renewal.
    const before = Date.now();
    await refreshFeed("wire", ctx.refreshDeps());
    const next = (await ctx.stores.feedStates.get("wire")).nextPollAt ?? 0;
    expect(next - before).toBeGreaterThan(60 * 60_000);
    expect(next - before).toBeLessThan(2 * 60 * 60_000);

    expect(await hub.publish(topic(), hubbedFeed([TAJI, ...BACKLOG]))).toBe(202);
    expect(await alertTitles(ctx)).toEqual([TAJI.title]);
    expect(await ctx.stores.websub.get("wire")).toMatchObject({ pushes: 1 });

    // The same item polled later is not new: one alert, whichever way it came.
    publisher.serve("/feed.xml", hubbedFeed([TAJI, ...BACKLOG]));
    expect(await refreshFeed("wire", ctx.refreshDeps())).toMatchObject({ newItems: 0 });
  });

  test("a push with a bad signature is refused with 403 and nothing is processed", async () => {
    hub = await startTestHub();
    publisher.serve("/feed.xml", hubbedFeed(BACKLOG));
    const ctx = await openWithCallback();
    await refreshFeed("wire", ctx.refreshDeps());
    await hub.whenVerified(topic());

    const body = hubbedFeed([TAJI, ...BACKLOG]);
    expect(await hub.publish(topic(), body, { signature: hubSignature(body, "guessed") })).toBe(
      403,
    );
    expect(await hub.publish(topic(), body, { signature: "sha256=zz" })).toBe(403);
    expect(await hub.publish(topic(), body, { signature: "" })).toBe(403);
    expect(await alertTitles(ctx)).toEqual([]);
    expect(await ctx.stores.websub.get("wire")).toMatchObject({ pushes: 0 });
    // Still new for the poll: the forged push marked nothing seen.
    publisher.serve("/feed.xml", body);
    expect(await refreshFeed("wire", ctx.refreshDeps())).toMatchObject({ newItems: 1 });
  });

  test("a verification for another topic, or at a callback URL without the subscription's token, is refused", async () => {
    hub = await startTestHub({ verify: false });
    publisher.serve("/feed.xml", hubbedFeed(BACKLOG));
    const ctx = await openWithCallback();
    await refreshFeed("wire", ctx.refreshDeps());
    const callback = hub.requests[0]?.callback ?? "";
    const verify = (url: string, t: string) =>
      fetch(`${url}?hub.mode=subscribe&hub.topic=${encodeURIComponent(t)}&hub.challenge=abc`);
    expect((await verify(callback, "https://evil.example/feed")).status).toBe(404);
    const guessed = callback.replace(/\/[0-9a-f]{32}$/, `/${"0".repeat(32)}`);
    expect((await verify(guessed, topic())).status).toBe(404);
    const push = await fetch(guessed, { method: "POST", body: hubbedFeed([TAJI]) });
    expect(push.status).toBe(404);
    expect(await ctx.stores.websub.get("wire")).toMatchObject({ state: "requested" });
    // The real hub's answer at the real callback still verifies.
    const ok = await verify(callback, topic());
    expect([ok.status, await ok.text()]).toEqual([200, "abc"]);
    expect(await ctx.stores.websub.get("wire")).toMatchObject({ state: "verified" });
  });

  test("a hub that never verifies is the feed's push error, and the feed is polled as usual", async () => {
    hub = await startTestHub({ verify: false });
    // Published minutes apart: polled at its `every` (10m), not slowed by a long usual gap.
    const recent = [0, 1, 2].map((i) => ({
      ...BACKLOG[0],
      guid: `recent-${i}`,
      published: new Date(Date.now() - (i + 1) * 5 * 60_000).toISOString(),
    })) as Story[];
    publisher.serve("/feed.xml", hubbedFeed(recent));
    const ctx = await openWithCallback();
    await refreshFeed("wire", ctx.refreshDeps());
    expect(hub.requests).toHaveLength(1);
    expect(await ctx.stores.websub.get("wire")).toMatchObject({ state: "requested" });

    // Half an hour later, still no verification request from the hub.
    await ctx.stores.websub.update("wire", { requestedAt: Date.now() - 30 * 60_000 });
    const before = Date.now();
    expect(await refreshFeed("wire", ctx.refreshDeps())).toMatchObject({ status: "not-modified" });
    expect(await ctx.stores.websub.get("wire")).toMatchObject({
      state: "failed",
      error: expect.stringMatching(
        /^hub http:\/\/127\.0\.0\.1:\d+\/ never verified the subscription/,
      ),
    });
    const next = (await ctx.stores.feedStates.get("wire")).nextPollAt ?? 0;
    expect(next - before).toBeLessThanOrEqual(11 * 60_000);
    // Not asked again on every poll.
    await refreshFeed("wire", ctx.refreshDeps());
    expect(hub.requests).toHaveLength(1);
  });

  test("a lease near its end is renewed by the next poll, with the same secret and callback", async () => {
    hub = await startTestHub({ leaseSeconds: 7200 });
    publisher.serve("/feed.xml", hubbedFeed(BACKLOG));
    const ctx = await openWithCallback();
    await refreshFeed("wire", ctx.refreshDeps());
    const first = await hub.whenVerified(topic());
    hub.verified.clear();

    // Five minutes of a two-hour lease left: inside the last tenth, so renewal is due.
    const now = Date.now();
    await ctx.stores.websub.update("wire", {
      requestedAt: now - 7200_000,
      verifiedAt: now - 7200_000,
      leaseExpiresAt: now + 5 * 60_000,
    });
    await refreshFeed("wire", ctx.refreshDeps());
    const renewed = await hub.whenVerified(topic());
    expect(hub.requests).toHaveLength(2);
    expect([renewed.secret, renewed.callback]).toEqual([first.secret, first.callback]);
    const sub = await ctx.stores.websub.get("wire");
    expect(sub?.state).toBe("verified");
    expect((sub?.leaseExpiresAt ?? 0) - Date.now()).toBeGreaterThan(60 * 60_000);
  });

  test("a hub that denies the subscription leaves the feed polled, with the hub's reason kept", async () => {
    hub = await startTestHub({ verify: false });
    publisher.serve("/feed.xml", hubbedFeed(BACKLOG));
    const ctx = await openWithCallback();
    await refreshFeed("wire", ctx.refreshDeps());
    const callback = hub.requests[0]?.callback ?? "";
    const denial = await fetch(
      `${callback}?hub.mode=denied&hub.topic=${encodeURIComponent(topic())}&hub.reason=${encodeURIComponent("topic not allowed")}`,
    );
    expect(denial.status).toBe(200);
    expect(await ctx.stores.websub.get("wire")).toMatchObject({
      state: "failed",
      error: `hub ${hub.url} denied the subscription: topic not allowed`,
    });
    expect(await refreshFeed("wire", ctx.refreshDeps())).toMatchObject({ status: "not-modified" });
    expect(hub.requests).toHaveLength(1);
  });
});
