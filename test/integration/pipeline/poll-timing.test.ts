import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { parseConfigText } from "../../../src/config/load.ts";
import { metricSources } from "../../../src/metrics/sources.ts";
import { refreshFeed } from "../../../src/pipeline/refresh-feed.ts";
import { AppContext } from "../../../src/runtime/context.ts";
import { startScheduler } from "../../../src/scheduler/scheduler.ts";
import { startWorkers } from "../../../workers/index.ts";
import { useTestContexts } from "../../helpers/context.ts";
import { type FeedServer, startFeedServer } from "../../helpers/feed-server.ts";
import { REDIS_URL } from "../../helpers/redis.ts";

const MIN = 60_000;

let server: FeedServer;
const contexts = useTestContexts("poll-timing");

function config(feeds: string[], defaults = "") {
  return `
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s, every: 10m${defaults} }
feeds:
${feeds.map((f) => `  - ${f}`).join("\n")}
watchlists:
  - { id: all, title: All, query: 'rockets' }
subscribers:
  - { id: desk, email: desk@example.org, watchlists: [all] }
`;
}

/** An RSS channel with one old item and the given extra channel elements (<ttl>, sy:*). */
function channel(extra: string): string {
  return `<?xml version="1.0"?>
<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel>
<title>Wire</title><link>http://wire.example/</link>${extra}
<item><title>Council meets</title><link>http://wire.example/1</link><guid>w1</guid>
<pubDate>Mon, 02 Nov 2026 08:00:00 GMT</pubDate></item>
</channel></rss>`;
}

/** Polls once; returns the outcome and how many minutes until the next poll. */
async function poll(ctx: AppContext, feedId: string) {
  const outcome = await refreshFeed(feedId, ctx.refreshDeps());
  const state = await ctx.stores.feedStates.get(feedId);
  const minutes = Math.round(((state.nextPollAt ?? 0) - (state.lastPollAt ?? 0)) / MIN);
  return { status: outcome.status, minutes, state };
}

beforeEach(async () => {
  server = await startFeedServer();
});

afterEach(async () => {
  await server.close();
});

describe("the publisher's own hints", () => {
  test("<ttl> keeps slowing polls down after the publisher starts answering 304", async () => {
    const ctx = await contexts.open(config([`{ id: wire, url: "${server.origin}/wire.xml" }`]));
    server.serve("/wire.xml", channel("<ttl>120</ttl>"));
    const polls = [await poll(ctx, "wire"), await poll(ctx, "wire"), await poll(ctx, "wire")];
    expect(polls.map((p) => [p.status, p.minutes])).toEqual([
      ["ok", 120],
      ["not-modified", 120],
      ["not-modified", 120],
    ]);
  });

  test("sy:updatePeriod (twice daily) keeps slowing polls down after 304s", async () => {
    const ctx = await contexts.open(config([`{ id: sy, url: "${server.origin}/sy.xml" }`]));
    server.serve(
      "/sy.xml",
      channel("<sy:updatePeriod>daily</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency>"),
    );
    const polls = [await poll(ctx, "sy"), await poll(ctx, "sy")];
    expect(polls.map((p) => [p.status, p.minutes])).toEqual([
      ["ok", 720],
      ["not-modified", 720],
    ]);
  });

  test("a hint the publisher drops is forgotten at its next full response", async () => {
    const ctx = await contexts.open(config([`{ id: wire, url: "${server.origin}/wire.xml" }`]));
    server.serve("/wire.xml", channel("<ttl>120</ttl>"));
    await poll(ctx, "wire");
    server.serve("/wire.xml", channel("<!-- no ttl any more -->"));
    const after = await poll(ctx, "wire");
    expect([after.status, after.minutes]).toEqual(["ok", 10]);
    expect((await poll(ctx, "wire")).minutes).toBe(10);
  });
});

describe("errors", () => {
  test("a 429 or 503 without Retry-After is not retried sooner than the feed's <ttl>", async () => {
    const ctx = await contexts.open(
      config([
        `{ id: busy, url: "${server.origin}/busy.xml" }`,
        `{ id: down, url: "${server.origin}/down.xml" }`,
      ]),
    );
    server.serve("/busy.xml", channel("<ttl>1440</ttl>"));
    server.serve("/down.xml", channel("<ttl>120</ttl>"));
    await poll(ctx, "busy");
    await poll(ctx, "down");
    server.fail("/busy.xml", 429);
    server.fail("/down.xml", 503);
    const busy = await poll(ctx, "busy");
    const down = await poll(ctx, "down");
    expect([busy.status, busy.state.consecutiveErrors]).toEqual(["failed", 1]);
    expect(busy.minutes).toBe(24 * 60);
    expect(down.minutes).toBeGreaterThanOrEqual(120);
    // Later errors back off further, from that same floor.
    expect((await poll(ctx, "down")).minutes).toBeGreaterThanOrEqual(120);
  });

  test("a 404 is retried at the slow end, not every few minutes; a timeout-like 500 is not", async () => {
    const ctx = await contexts.open(
      config([
        `{ id: missing, url: "${server.origin}/missing.xml" }`,
        `{ id: broken, url: "${server.origin}/broken.xml" }`,
      ]),
    );
    server.fail("/broken.xml", 500);
    const missing = await poll(ctx, "missing");
    expect([missing.status, missing.state.errorCategory]).toEqual(["failed", "http"]);
    expect(missing.minutes).toBeGreaterThanOrEqual(12 * 60);
    expect(missing.minutes).toBeLessThanOrEqual(24 * 60);
    expect((await poll(ctx, "broken")).minutes).toBe(10);
  });

  test("a maintenance page served instead of the feed is retried on the normal back-off, not a day later", async () => {
    const ctx = await contexts.open(config([`{ id: upkeep, url: "${server.origin}/upkeep.xml" }`]));
    server.serve("/upkeep.xml", "<!doctype html><html><body>Down for maintenance</body></html>");
    const upkeep = await poll(ctx, "upkeep");
    expect([upkeep.status, upkeep.state.errorCategory]).toEqual(["failed", "not-a-feed"]);
    expect(upkeep.minutes).toBe(10);
  });
});

describe("source health", () => {
  async function noticeSubjects(ctx: AppContext): Promise<string[]> {
    const jobs = await ctx.queues.email.getJobs(["waiting", "delayed", "active", "completed"]);
    return jobs.map((j) => j.data.message.notice?.subject as string);
  }

  test("a new feed's first failures wait for failureNoticeAfter before the admin hears of it", async () => {
    const ctx = await contexts.open(
      config([`{ id: wire, url: "${server.origin}/wire.xml" }`], ", failureNoticeAfter: 3").replace(
        "watchlists:",
        "admin: { email: [admin@example.org] }\nwatchlists:",
      ),
    );
    server.fail("/wire.xml", 503);
    expect((await poll(ctx, "wire")).status).toBe("failed");
    server.serve("/wire.xml", channel(""));
    expect((await poll(ctx, "wire")).status).toBe("ok");
    expect(await noticeSubjects(ctx)).toEqual([]);

    server.fail("/wire.xml", 404);
    await poll(ctx, "wire");
    await poll(ctx, "wire");
    expect(await noticeSubjects(ctx)).toEqual([]);
    await poll(ctx, "wire");
    expect(await noticeSubjects(ctx)).toEqual(["[newswatch] feed wire is failing"]);
  });

  test("a feed that never succeeded is announced at the threshold, and shows as failing from its first error", async () => {
    const ctx = await contexts.open(
      config([`{ id: wire, url: "${server.origin}/wire.xml" }`], ", failureNoticeAfter: 2").replace(
        "watchlists:",
        "admin: { email: [admin@example.org] }\nwatchlists:",
      ),
    );
    server.fail("/wire.xml", 503);
    await poll(ctx, "wire");
    expect(await noticeSubjects(ctx)).toEqual([]);
    // The Sources page, `newswatch feeds` and the gauge show it failing from the first error.
    const display = metricSources({
      queues: ctx.queues,
      feedStates: ctx.stores.feedStates,
      snapshot: () => ctx.snapshot(),
    });
    expect(await display.feedHealth?.()).toMatchObject({ failing: 1, unpolled: 0 });
    await poll(ctx, "wire");
    expect(await noticeSubjects(ctx)).toEqual(["[newswatch] feed wire is failing"]);
  });
});

/** Waits until `check` holds, up to `ms`; says whether it did. */
async function waitFor(check: () => Promise<boolean>, ms = 5000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe("a poll job that fails", () => {
  test("does not leave its feed unpolled: the feed is polled again after its back-off, and the log names it", async () => {
    const lines: string[] = [];
    const log = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
    const loaded = parseConfigText(
      config([`{ id: wire, url: "${server.origin}/wire.xml" }`]),
      "test.yaml",
      { REDIS_URL, NEWSWATCH_PREFIX: contexts.prefix },
    );
    const dir = await mkdtemp(path.join(tmpdir(), "newswatch-poll-timing-"));
    const ctx = await AppContext.create({ ...loaded, file: path.join(dir, "test.yaml") }, log, dir);
    contexts.keep(ctx);
    server.serve("/wire.xml", channel(""));

    // A real Redis error inside the job: the poll claim for this due time is not a string.
    let clock = Date.now();
    const due = clock - 1000;
    await ctx.stores.feedStates.update("wire", { nextPollAt: due });
    await ctx.redis.hset(ctx.keys.pollClaim("wire", due), "not", "a string");

    const workers = startWorkers(ctx, ["poll"]);
    const scheduler = startScheduler(ctx, { now: () => clock });
    try {
      await scheduler.tick();
      expect(await waitFor(async () => (await ctx.queues.poll.getFailedCount()) === 1)).toBe(true);
      await waitFor(
        async () => (await ctx.stores.feedStates.get("wire")).consecutiveErrors > 0,
        2000,
      );
      const failed = await ctx.stores.feedStates.get("wire");
      expect(failed.errorCategory).toBe("internal");
      expect(failed.nextPollAt).toBeGreaterThanOrEqual(clock + 10 * MIN);
      const logged = lines
        .map((l) => JSON.parse(l))
        .find((l) => l.msg.startsWith("poll job failed"));
      expect(logged).toMatchObject({ feedId: "wire", level: 50 });
      expect(server.requests).toHaveLength(0);

      // Eleven minutes on, the scheduler's tick queues the feed again and it is polled.
      clock += 11 * MIN;
      await scheduler.tick();
      expect(await waitFor(async () => server.requests.length === 1)).toBe(true);
      expect(
        await waitFor(async () => (await ctx.stores.feedStates.get("wire")).lastSuccessAt !== null),
      ).toBe(true);
    } finally {
      await scheduler.stop();
      await workers.close();
    }
  });
});
