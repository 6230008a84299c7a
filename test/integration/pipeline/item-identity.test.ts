import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { refreshFeed } from "../../../src/pipeline/refresh-feed.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { rssFeed, type Story } from "../../fixtures/stories/wire.ts";
import { useTestContexts } from "../../helpers/context.ts";
import { type FeedServer, startFeedServer } from "../../helpers/feed-server.ts";

// Items are never repeated and a backlog never alerts, whatever the feed's size, age or
// identity scheme: audited gaps 1, 2, 3 and 5 of issue #4.

function config(feeds: string[], defaults = "", extra = "") {
  return `
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s${defaults} }
feeds:
${feeds.map((f) => `  - ${f}`).join("\n")}
watchlists:
  - { id: rockets, title: Rockets, query: 'rockets' }
subscribers:
  - { id: desk, email: desk@example.org, watchlists: [rockets] }
${extra}`;
}

let server: FeedServer;
const contexts = useTestContexts("identity");

/** What the desk would receive: one title per queued alert email. */
async function alertedTitles(ctx: AppContext): Promise<string[]> {
  const jobs = await ctx.queues.email.getJobs(["waiting", "delayed", "active", "completed"]);
  return jobs
    .filter((j) => j.data.message.kind !== "notice")
    .map((j) => j.data.message.alert.item.title as string)
    .sort();
}

async function notices(ctx: AppContext): Promise<string[]> {
  const jobs = await ctx.queues.email.getJobs(["waiting", "delayed", "active", "completed"]);
  return jobs
    .filter((j) => j.data.message.kind === "notice")
    .map((j) => j.data.message.notice.subject as string);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DAY = 86_400_000;

/** A matching story, `ageDays` old. */
const story = (n: number, ageDays: number, guid = `g${n}`): Story => ({
  guid,
  title: `Rockets story ${n}`,
  text: "Rockets were reported.",
  published: new Date(Date.now() - ageDays * DAY).toISOString(),
  matches: true,
});

const wire = (stories: Story[]) => rssFeed("Wire", server.origin, stories);

beforeEach(async () => {
  server = await startFeedServer();
});

afterEach(async () => {
  await server.close();
});

describe("seen retention counts from the last time a feed listed the item", () => {
  test("items still listed after seenRetention do not alert again", async () => {
    const ctx = await contexts.open(
      config([`{ id: wire, url: "${server.origin}/wire.xml" }`], ", seenRetention: 3s"),
    );
    server.serve("/wire.xml", wire([story(0, 30)]));
    await refreshFeed("wire", ctx.refreshDeps()); // first poll: the backlog is recorded
    server.serve("/wire.xml", wire([story(0, 30), story(1, 0.1)]));
    await refreshFeed("wire", ctx.refreshDeps());
    await sleep(1600);
    server.serve("/wire.xml", wire([story(0, 30), story(1, 0.1), story(2, 0.05)]));
    await refreshFeed("wire", ctx.refreshDeps());
    await sleep(1600); // story 0 and 1 were first seen 3.2 s ago, last listed 1.6 s ago
    server.serve("/wire.xml", wire([story(0, 30), story(1, 0.1), story(2, 0.05), story(3, 0)]));
    const last = await refreshFeed("wire", ctx.refreshDeps());

    expect(last).toMatchObject({ status: "ok", newItems: 1, matchedItems: 1 });
    expect(await alertedTitles(ctx)).toEqual([
      "Rockets story 1",
      "Rockets story 2",
      "Rockets story 3",
    ]);
  });

  test("a feed answering 304 for longer than seenRetention keeps its items seen", async () => {
    const ctx = await contexts.open(
      config([`{ id: wire, url: "${server.origin}/wire.xml" }`], ", seenRetention: 3s"),
    );
    server.serve("/wire.xml", wire([story(0, 30)]));
    await refreshFeed("wire", ctx.refreshDeps());
    server.serve("/wire.xml", wire([story(0, 30), story(1, 0.1)]));
    await refreshFeed("wire", ctx.refreshDeps());
    // The publisher's document does not change for 3.2 s, longer than the retention.
    for (let i = 0; i < 2; i++) {
      await sleep(1600);
      await refreshFeed("wire", ctx.refreshDeps());
    }
    server.serve("/wire.xml", wire([story(0, 30), story(1, 0.1), story(2, 0)]));
    const last = await refreshFeed("wire", ctx.refreshDeps());

    expect(last).toMatchObject({ status: "ok", newItems: 1, matchedItems: 1 });
    expect(await alertedTitles(ctx)).toEqual(["Rockets story 1", "Rockets story 2"]);
  });

  test("a feed refreshed within half the retention is still fetched conditionally", async () => {
    const ctx = await contexts.open(config([`{ id: wire, url: "${server.origin}/wire.xml" }`]));
    server.serve("/wire.xml", wire([story(0, 30)]));
    await refreshFeed("wire", ctx.refreshDeps());
    const second = await refreshFeed("wire", ctx.refreshDeps());
    expect(second.status).toBe("not-modified");
  });
});

describe("maxItemsPerPoll never lets a held-back item through on a later poll", () => {
  test("a first poll's backlog larger than maxItemsPerPoll never alerts; backfill items do, K per poll", async () => {
    const ctx = await contexts.open(
      config(
        [`{ id: wire, url: "${server.origin}/wire.xml", backfill: 1d }`],
        ", maxItemsPerPoll: 2",
      ),
    );
    const old = Array.from({ length: 25 }, (_, i) => story(100 + i, 90 + i));
    const young = [story(1, 0.1), story(2, 0.2), story(3, 0.3)];
    server.serve("/wire.xml", wire([...young, ...old]));
    const polls = [];
    for (let i = 0; i < 4; i++) polls.push(await refreshFeed("wire", ctx.refreshDeps()));

    expect(polls.map((p) => p.matchedItems)).toEqual([2, 1, 0, 0]);
    expect(polls[0]?.note).toBe("1 items wait for the next poll");
    expect(await alertedTitles(ctx)).toEqual(young.map((s) => s.title));
  });

  test("every item of a mass identity change is held back, not just the first maxItemsPerPoll", async () => {
    const ctx = await contexts.open(
      config(
        [`{ id: wire, url: "${server.origin}/wire.xml" }`],
        ", maxItemsPerPoll: 5",
        "admin: { email: [admin@example.org] }",
      ),
    );
    const old = Array.from({ length: 12 }, (_, i) => story(i, (i + 1) / 24));
    server.serve("/wire.xml", wire(old));
    await refreshFeed("wire", ctx.refreshDeps());
    server.serve("/wire.xml", wire(old.map((s) => ({ ...s, guid: `new-scheme-${s.guid}` }))));
    const polls = [];
    for (let i = 0; i < 3; i++) polls.push(await refreshFeed("wire", ctx.refreshDeps()));

    expect(polls.map((p) => p.matchedItems)).toEqual([0, 0, 0]);
    expect(polls[0]?.note).toBe(
      "12 items held back: the feed changed its item identities (no alerts sent)",
    );
    expect(await alertedTitles(ctx)).toEqual([]);
    expect(await notices(ctx)).toEqual(["[newswatch] feed wire: 12 items held back"]);
  });
});

describe("one story, one alert, across outlets", () => {
  test("a third outlet carrying the second outlet's URL under another headline joins the same story", async () => {
    const ctx = await contexts.open(
      config(["a", "b", "c"].map((id) => `{ id: ${id}, url: "${server.origin}/${id}.xml" }`)),
    );
    for (const id of ["a", "b", "c"]) {
      server.serve(`/${id}.xml`, rssFeed(id, server.origin, []));
      await refreshFeed(id, ctx.refreshDeps());
    }
    const headline = "Two Katyusha rockets hit Taji military base north of Baghdad";
    const taji = { ...story(0, 0.01), guid: "taji-rockets", title: headline };
    // The wire; a partner with the same headline at its own URL; a site syndicating the
    // partner's page (www. added) under an edited headline.
    server.serve("/a.xml", rssFeed("Wire", "https://wire.example", [taji]));
    server.serve(
      "/b.xml",
      rssFeed("Partner", "https://partner.example/world", [
        { ...taji, title: `${headline} - Partner` },
      ]),
    );
    server.serve(
      "/c.xml",
      rssFeed("Syndicate", "https://www.partner.example/world", [
        { ...taji, title: "UPDATE 1-Rockets strike Iraq's Taji base, no casualties" },
      ]),
    );
    const polls = [];
    for (const id of ["a", "b", "c"]) polls.push(await refreshFeed(id, ctx.refreshDeps()));

    expect(polls.map((p) => p.matchedItems)).toEqual([1, 1, 1]);
    expect(await alertedTitles(ctx)).toEqual([headline]);
  });
});
