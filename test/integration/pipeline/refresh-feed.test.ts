import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { refreshFeed } from "../../../src/pipeline/refresh-feed.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { BACKLOG, NEAR_MISSES, rssFeed, type Story, TAJI } from "../../fixtures/stories/wire.ts";
import { useTestContexts } from "../../helpers/context.ts";
import { type FeedServer, startFeedServer } from "../../helpers/feed-server.ts";

const QUERY = `'(katyusha OR rocket OR rockets OR drone) AND (base OR "green zone" OR airport) AND (iraq OR baghdad OR taji)'`;

function config(feeds: string[], extra = "", watchlistExtra = "") {
  return `
security: { allowPrivateNetworks: true }
defaults: { maxItemsPerPoll: 200, hostSpacing: 0s }
feeds:
${feeds.map((f) => `  - ${f}`).join("\n")}
watchlists:
  - id: bases
    title: Bases
    query: ${QUERY}
${watchlistExtra}
subscribers:
  - { id: desk, email: desk@example.org, watchlists: [bases] }
${extra}`;
}

let server: FeedServer;
const contexts = useTestContexts("refresh");

async function queuedAlertTitles(ctx: AppContext): Promise<string[]> {
  const jobs = await ctx.queues.email.getJobs([
    "waiting",
    "delayed",
    "active",
    "completed",
    "failed",
  ]);
  return jobs.map((j) => j.data.message.alert.item.title as string).sort();
}

const wire = (stories: Story[]) => rssFeed("Wire", server.origin, stories);

beforeEach(async () => {
  server = await startFeedServer();
});

afterEach(async () => {
  await server.close();
});

describe("refreshFeed", () => {
  test("a first poll records the backlog silently, a new matching item queues one alert, an unchanged feed answers 304 and is not parsed", async () => {
    const ctx = await contexts.open(config([`{ id: wire, url: "${server.origin}/wire.xml" }`]));
    server.serve("/wire.xml", wire(BACKLOG));
    const first = await refreshFeed("wire", ctx.refreshDeps());
    expect(first).toMatchObject({ status: "ok", newItems: 2, matchedItems: 0 });
    expect(await queuedAlertTitles(ctx)).toEqual([]);

    server.serve("/wire.xml", wire([...BACKLOG, TAJI, ...NEAR_MISSES]));
    const second = await refreshFeed("wire", ctx.refreshDeps());
    expect(second).toMatchObject({ status: "ok", newItems: 4, matchedItems: 1 });
    expect(await queuedAlertTitles(ctx)).toEqual([TAJI.title]);

    const third = await refreshFeed("wire", ctx.refreshDeps());
    expect(third.status).toBe("not-modified");
    expect(server.requests.at(-1)?.ifNoneMatch).toMatch(/^"[0-9a-f]+"$/);
    expect(await queuedAlertTitles(ctx)).toEqual([TAJI.title]);
  });

  test("state survives a restart: validators are sent again and old items do not alert", async () => {
    const yaml = config([`{ id: wire, url: "${server.origin}/wire.xml" }`]);
    const before = await contexts.open(yaml);
    server.serve("/wire.xml", wire(BACKLOG));
    await refreshFeed("wire", before.refreshDeps());
    await contexts.close(before);

    const after = await contexts.open(yaml);
    const unchanged = await refreshFeed("wire", after.refreshDeps());
    expect(unchanged.status).toBe("not-modified");
    server.serve("/wire.xml", wire([TAJI, ...BACKLOG]));
    const next = await refreshFeed("wire", after.refreshDeps());
    expect(next).toMatchObject({ newItems: 1, matchedItems: 1 });
    expect(await queuedAlertTitles(after)).toEqual([TAJI.title]);
  });

  test("items beyond maxItemsPerPoll wait for the next poll and are never lost or repeated", async () => {
    const ctx = await contexts.open(
      config([`{ id: wire, url: "${server.origin}/wire.xml" }`]).replace(
        "maxItemsPerPoll: 200",
        "maxItemsPerPoll: 2",
      ),
    );
    server.serve("/wire.xml", wire([]));
    await refreshFeed("wire", ctx.refreshDeps());
    const bases = ["Taji", "Balad", "Ain al-Asad", "Victory", "Harir"].map((name, i) => ({
      guid: `b-${i}`,
      title: `Rockets hit ${name} base in Iraq`,
      text: `Two rockets struck the ${name} base in Iraq.`,
      published: `2026-11-2${i}T10:00:00Z`,
      matches: true,
    }));
    server.serve("/wire.xml", wire(bases));
    const polls = [];
    for (let i = 0; i < 4; i++) polls.push(await refreshFeed("wire", ctx.refreshDeps()));
    expect(polls.map((p) => p.newItems)).toEqual([2, 2, 1, 0]);
    expect(polls[0]?.note).toBe("3 items wait for the next poll");
    expect(await queuedAlertTitles(ctx)).toEqual(bases.map((b) => b.title).sort());
  });

  test("an edited item alerts again only for a watchlist with alertOnUpdate", async () => {
    const yaml = config(
      [`{ id: wire, url: "${server.origin}/wire.xml" }`],
      "  - { id: updates, email: updates@example.org, watchlists: [bases-updates] }",
      `  - id: bases-updates\n    title: Bases (with updates)\n    alertOnUpdate: true\n    query: ${QUERY}`,
    );
    const ctx = await contexts.open(yaml);
    server.serve("/wire.xml", wire([]));
    await refreshFeed("wire", ctx.refreshDeps());
    server.serve("/wire.xml", wire([TAJI]));
    await refreshFeed("wire", ctx.refreshDeps());
    server.serve(
      "/wire.xml",
      wire([{ ...TAJI, text: `${TAJI.text} A third rocket was found unexploded.` }]),
    );
    const edited = await refreshFeed("wire", ctx.refreshDeps());
    expect(edited.newItems).toBe(0);
    const jobs = await ctx.queues.email.getJobs(["waiting"]);
    const bySubscriber = jobs.map((j) => j.data.subscriberId as string).sort();
    expect(bySubscriber).toEqual(["desk", "updates", "updates"]);
  });

  test("an established feed that changes every guid at once is held back with one admin notice, not a flood", async () => {
    const ctx = await contexts.open(
      config(
        [`{ id: wire, url: "${server.origin}/wire.xml" }`],
        "admin: { email: [admin@example.org] }",
      ),
    );
    const old = Array.from({ length: 12 }, (_, i) => ({
      guid: `old-${i}`,
      title: `Rockets hit base ${i} near Baghdad, Iraq`,
      text: "Rockets struck a base near Baghdad in Iraq.",
      published: new Date(Date.now() - (i + 1) * 3_600_000).toISOString(),
      matches: true,
    }));
    server.serve("/wire.xml", wire(old));
    await refreshFeed("wire", ctx.refreshDeps());
    server.serve("/wire.xml", wire(old.map((s) => ({ ...s, guid: `new-scheme-${s.guid}` }))));
    const changed = await refreshFeed("wire", ctx.refreshDeps());
    expect(changed.matchedItems).toBe(0);
    expect(changed.note).toBe(
      "12 items held back: the feed changed its item identities (no alerts sent)",
    );
    const jobs = await ctx.queues.email.getJobs(["waiting"]);
    expect(jobs.map((j) => j.data.message.kind)).toEqual(["notice"]);
    expect(jobs[0]?.data.target).toEqual({ address: "admin@example.org" });
    expect(jobs[0]?.data.message.notice.subject).toBe("[newswatch] feed wire: 12 items held back");
  });

  test("one story from two outlets alerts once", async () => {
    const ctx = await contexts.open(
      config([
        `{ id: one, url: "${server.origin}/one.xml" }`,
        `{ id: two, url: "${server.origin}/two.xml" }`,
      ]),
    );
    server.serve("/one.xml", rssFeed("One", `${server.origin}/one`, []));
    server.serve("/two.xml", rssFeed("Two", `${server.origin}/two`, []));
    await refreshFeed("one", ctx.refreshDeps());
    await refreshFeed("two", ctx.refreshDeps());
    server.serve("/one.xml", rssFeed("One", `${server.origin}/one`, [TAJI]));
    server.serve(
      "/two.xml",
      rssFeed("Two", `${server.origin}/two`, [
        { ...TAJI, guid: "other-guid", title: `${TAJI.title} - Two News` },
      ]),
    );
    await refreshFeed("one", ctx.refreshDeps());
    const second = await refreshFeed("two", ctx.refreshDeps());
    expect(second.matchedItems).toBe(1);
    expect(await queuedAlertTitles(ctx)).toEqual([TAJI.title]);
  });
});

describe("refreshFeed and the publisher's signals", () => {
  let publisher: http.Server;
  let origin: string;
  let handler: (req: http.IncomingMessage, res: http.ServerResponse) => void;

  beforeEach(async () => {
    publisher = http.createServer((req, res) => handler(req, res));
    await new Promise<void>((r) => publisher.listen(0, "127.0.0.1", r));
    origin = `http://127.0.0.1:${(publisher.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    publisher.closeAllConnections();
    await new Promise((r) => publisher.close(r));
  });

  test("a 301 seen on two consecutive polls moves the feed; a 302 never does", async () => {
    const ctx = await contexts.open(
      config([
        `{ id: moved, url: "${origin}/old.xml" }`,
        `{ id: temp, url: "${origin}/temp.xml" }`,
      ]),
    );
    handler = (req, res) => {
      if (req.url === "/old.xml") return void res.writeHead(301, { location: "/new.xml" }).end();
      if (req.url === "/temp.xml") return void res.writeHead(302, { location: "/new.xml" }).end();
      res
        .writeHead(200, { "content-type": "application/rss+xml" })
        .end(rssFeed("New", origin, BACKLOG));
    };
    await refreshFeed("moved", ctx.refreshDeps());
    expect((await ctx.stores.feedStates.get("moved")).url).toBeNull();
    await refreshFeed("moved", ctx.refreshDeps());
    expect((await ctx.stores.feedStates.get("moved")).url).toBe(`${origin}/new.xml`);
    await refreshFeed("temp", ctx.refreshDeps());
    await refreshFeed("temp", ctx.refreshDeps());
    expect((await ctx.stores.feedStates.get("temp")).url).toBeNull();
  });

  test("429 with Retry-After puts the next poll after it; 410 disables the feed", async () => {
    const ctx = await contexts.open(
      config([
        `{ id: busy, url: "${origin}/busy.xml" }`,
        `{ id: gone, url: "${origin}/gone.xml" }`,
      ]),
    );
    handler = (req, res) => {
      if (req.url === "/busy.xml") return void res.writeHead(429, { "retry-after": "7200" }).end();
      res.writeHead(410).end();
    };
    const before = Date.now();
    const busy = await refreshFeed("busy", ctx.refreshDeps());
    expect(busy.error?.category).toBe("http");
    const state = await ctx.stores.feedStates.get("busy");
    expect(state.nextPollAt).toBeGreaterThanOrEqual(before + 7200_000);
    // A publisher asking for a pause is counted apart from errors.
    expect([state.consecutiveErrors, state.consecutiveHolds]).toEqual([0, 1]);

    await refreshFeed("gone", ctx.refreshDeps());
    expect((await ctx.stores.feedStates.get("gone")).disabled).toMatch(/410/);
    const again = await refreshFeed("gone", ctx.refreshDeps());
    expect(again.status).toBe("skipped");
  });
});
