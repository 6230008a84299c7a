import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, expect, test } from "vitest";
import { jobId } from "../../../src/queue/jobs.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { startWorkers } from "../../../workers/index.ts";
import { testContext } from "../../helpers/context.ts";
import { dropPrefix, uniquePrefix } from "../../helpers/redis.ts";

const BUSY_FEEDS = 9;

/** One publisher on 127.0.0.1 and one on ::1, logging the order requests arrive in. */
let arrivals: string[];
let servers: http.Server[];
let prefix: string;
let ctx: AppContext;

async function listen(host: string, name: string): Promise<string> {
  const server = http.createServer((req, res) => {
    arrivals.push(`${name}${req.url}`);
    res.writeHead(404).end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return host.includes(":") ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

beforeEach(() => {
  arrivals = [];
  servers = [];
  prefix = uniquePrefix("politeness");
});
afterEach(async () => {
  await ctx?.close();
  for (const s of servers) s.close();
  await dropPrefix(prefix);
});

test("a publisher with many feeds does not hold every poll slot: another host's feed is polled among the first", async () => {
  const busy = await listen("127.0.0.1", "busy");
  const other = await listen("::1", "other");
  const feeds = [
    ...Array.from({ length: BUSY_FEEDS }, (_, i) => `  - { id: b${i}, url: "${busy}/${i}.xml" }`),
    `  - { id: other, url: "${other}/feed.xml" }`,
  ];
  ctx = await testContext(
    `
security: { allowPrivateNetworks: true }
defaults: { maxConcurrentPerHost: 1, hostSpacing: 400ms }
workers: { pollConcurrency: 3 }
feeds:
${feeds.join("\n")}
`,
    prefix,
  );
  // The busy publisher's polls are queued first, the other host's last.
  const due = Date.now();
  for (const id of [...Array.from({ length: BUSY_FEEDS }, (_, i) => `b${i}`), "other"]) {
    await ctx.queues.poll.add("poll", { feedId: id, due }, { jobId: jobId("poll", id, due) });
  }
  const workers = startWorkers(ctx, ["poll"]);
  try {
    const deadline = Date.now() + 20_000;
    while (!arrivals.includes("other/feed.xml") && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    // Three slots, one request at a time to the busy host, 400 ms apart: holding slots for it
    // would have kept the other host waiting behind most of its nine feeds.
    expect(arrivals.indexOf("other/feed.xml")).toBeGreaterThanOrEqual(0);
    expect(arrivals.indexOf("other/feed.xml")).toBeLessThan(3);
  } finally {
    await workers.close();
  }
}, 40_000);
