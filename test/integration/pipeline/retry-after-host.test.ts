import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, expect, test } from "vitest";
import { jobId } from "../../../src/queue/jobs.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { runOnce } from "../../../src/runtime/run-once.ts";
import { startWorkers } from "../../../workers/index.ts";
import { testContext } from "../../helpers/context.ts";
import { dropPrefix, uniquePrefix } from "../../helpers/redis.ts";

const RSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Council meets</title><link>http://wire.example/1</link><guid>w1</guid></item>
</channel></rss>`;

/**
 * Two publishers: on 127.0.0.1, /busy.xml answers 429 with Retry-After: 3600 and the rest
 * serve a feed; "localhost" names the same server as another host, where /broken.xml is a 500.
 */
let requests: string[];
let server: http.Server;
let origin: string;
let prefix: string;
let ctx: AppContext;

beforeEach(async () => {
  requests = [];
  prefix = uniquePrefix("retry-after-host");
  server = http.createServer((req, res) => {
    requests.push(req.url ?? "");
    if (req.url === "/busy.xml") res.writeHead(429, { "retry-after": "3600" }).end();
    else if (req.url === "/broken.xml") res.writeHead(500).end();
    else res.writeHead(200, { "content-type": "application/rss+xml" }).end(RSS);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await ctx?.close();
  server.closeAllConnections();
  server.close();
  await dropPrefix(prefix);
});

const yaml = (ids: string[]) => `
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s }
workers: { pollConcurrency: 1 }
feeds:
${ids.map((id) => `  - { id: ${id}, url: "${origin}/${id}.xml" }`).join("\n")}
`;

/** Queues a poll job as the scheduler would. */
const queuePoll = (feedId: string, due: number) =>
  ctx.queues.poll.add("poll", { feedId, due }, { jobId: jobId("poll", feedId, due) });

/** When a feed's poll job, handed back by the worker, is delayed until (undefined: not by `deadline`). */
async function delayedPollOf(feedId: string, deadline: number): Promise<number | undefined> {
  for (;;) {
    const job = (await ctx.queues.poll.getJobs(["delayed"])).find((j) => j.data.feedId === feedId);
    if (job || Date.now() >= deadline) return job ? job.timestamp + job.delay : undefined;
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("a 429 with Retry-After holds back the daemon's polls of the host's other feeds", async () => {
  ctx = await testContext(yaml(["busy", "calm"]), prefix);
  const workers = startWorkers(ctx, ["poll"]);
  try {
    const due = Date.now();
    await queuePoll("busy", due);
    const deadline = Date.now() + 10_000;
    while (!(await ctx.stores.feedStates.get("busy")).lastErrorAt && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    await queuePoll("calm", due);
    // The calm feed's job is handed back, delayed until the publisher's hour has passed.
    const delayedUntil = await delayedPollOf("calm", deadline);
    expect(requests).toEqual(["/busy.xml"]);
    expect(delayedUntil).toBeGreaterThan(Date.now() + 3_500_000);
  } finally {
    await workers.close();
  }
}, 20_000);

test("run-once skips the host's other feeds after a 429 with Retry-After, and polls them with force", async () => {
  ctx = await testContext(yaml(["busy", "calm"]), prefix);
  const first = await runOnce(ctx, { retryForMs: 0 });
  expect(first.feeds.map((f) => [f.feedId, f.status])).toEqual([
    ["busy", "failed"],
    ["calm", "skipped"],
  ]);
  expect(first.feeds[1]?.note).toMatch(/Retry-After until .*--force/);
  expect(requests).toEqual(["/busy.xml"]);

  const forced = await runOnce(ctx, { retryForMs: 0, force: true });
  expect(forced.feeds.map((f) => [f.feedId, f.status])).toEqual([
    ["busy", "failed"],
    ["calm", "ok"],
  ]);
});

test("a later run-once (a new process) skips the held host's feeds but polls a feed in plain back-off", async () => {
  const feeds = `${yaml(["busy", "calm"])}  - { id: broken, url: "${origin.replace("127.0.0.1", "localhost")}/broken.xml" }\n`;
  ctx = await testContext(feeds, prefix);
  await runOnce(ctx, { retryForMs: 0 });
  await ctx.close();
  requests = [];

  ctx = await testContext(feeds, prefix);
  const again = await runOnce(ctx, { retryForMs: 0 });
  expect(again.feeds.map((f) => [f.feedId, f.status])).toEqual([
    ["busy", "skipped"],
    ["calm", "skipped"],
    ["broken", "failed"],
  ]);
  expect(requests).toEqual(["/broken.xml"]);
});

test("a poll worker started after the 429 (a restart) still holds back the host's other feeds", async () => {
  ctx = await testContext(yaml(["busy", "calm"]), prefix);
  await runOnce(ctx, { retryForMs: 0, force: true });
  await ctx.close();
  requests = [];

  // A new process: its host gate starts empty and learns the hold from the stored states.
  ctx = await testContext(yaml(["busy", "calm"]), prefix);
  const workers = startWorkers(ctx, ["poll"]);
  try {
    const due = Date.now();
    await queuePoll("calm", due);
    const delayedUntil = await delayedPollOf("calm", Date.now() + 10_000);
    expect(requests).toEqual([]);
    expect(delayedUntil).toBeGreaterThan(Date.now() + 3_500_000);
  } finally {
    await workers.close();
  }
}, 20_000);
