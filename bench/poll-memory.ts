/**
 * Peak memory of one poll of a feed that suddenly lists 50,000 fresh items (`--items=N`),
 * against a poll of the same feed at its usual size measured first in the same process.
 * `node --import tsx bench/poll-memory.ts [--items=50000]`
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { refreshFeed } from "../src/pipeline/refresh-feed.ts";
import { benchPrefix, dropPrefix, flag, fmt, openContext, peakRssMb } from "./lib/harness.ts";

const ITEMS = flag("items", 50_000);
const DAY = 86_400_000;

function feedXml(n: number): string {
  const now = Date.now();
  const items = Array.from(
    { length: n },
    (_, i) =>
      `<item><title>Rocket report ${i} from district ${i % 977}</title><link>http://x.example/${i}</link><guid>g${i}</guid><pubDate>${new Date(now + 3_600_000 - i * 10).toUTCString()}</pubDate><description>Item ${i}.</description></item>`,
  ).join("");
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Burst</title><link>http://x.example</link>${items}</channel></rss>`;
}

let body = feedXml(20);
const server = http.createServer((_req, res) => {
  res.writeHead(200, { "content-type": "application/rss+xml" }).end(body);
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const prefix = benchPrefix("poll-memory");
const { ctx } = await openContext(`
redis: { prefix: ${prefix} }
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s, maxBodyBytes: 268435456 }
feeds:
  - { id: burst, url: "${origin}/feed.xml" }
watchlists:
  - { id: w, title: W, query: rocket }
subscribers:
  - { id: desk, email: desk@example.org, watchlists: [w] }
`);

async function queuedEmails(): Promise<number> {
  const counts = await ctx.queues.email.getJobCounts("waiting", "delayed");
  return (counts.waiting ?? 0) + (counts.delayed ?? 0);
}

try {
  await refreshFeed("burst", ctx.refreshDeps()); // first poll: recorded
  for (let d = 1; d <= 5; d++)
    await ctx.stores.feedDaily.increment("burst", Date.now() - d * DAY, 30);
  body = feedXml(220);
  await refreshFeed("burst", ctx.refreshDeps());
  const usual = peakRssMb();
  const queuedBefore = await queuedEmails();
  body = feedXml(ITEMS);
  const started = Date.now();
  const outcome = await refreshFeed("burst", ctx.refreshDeps());
  const burst = peakRssMb();
  const queuedByBurst = (await queuedEmails()) - queuedBefore;
  console.log(
    `poll memory: ${fmt(ITEMS)}-item feed (${fmt(body.length / 1_048_576, 1)} MB) polled in ` +
      `${fmt((Date.now() - started) / 1000, 1)} s; peak RSS ${usual} MB after the usual polls, ` +
      `${burst} MB after the burst (+${burst - usual} MB); ${outcome.newItems} new items, ` +
      `${queuedByBurst} alerts queued by it (${queuedBefore} by the usual polls, 200 matching items, under the default storm cap); note: ${outcome.note ?? "none"}`,
  );
} finally {
  await ctx.close();
  await dropPrefix(prefix);
  server.close();
}
