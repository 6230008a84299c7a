import { afterEach, beforeEach, expect, test } from "vitest";
import { refreshFeed } from "../../../src/pipeline/refresh-feed.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { useConfigDir } from "../../helpers/config-dir.ts";
import { type LocalServer, startLocalServer } from "../../helpers/local-server.ts";

// A feed listing thousands of items is an archive: one poll reads only the newest maxItems.
const config = useConfigDir("archive");
let server: LocalServer;
let ctx: AppContext;
let count: number;

const rss = () => {
  const items: string[] = [];
  for (let i = count; i > 0; i--) {
    const date = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toUTCString();
    items.push(
      `<item><title>Report ${i}</title><link>http://wire.example/${i}</link><guid>w${i}</guid><pubDate>${date}</pubDate></item>`,
    );
  }
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>${items.join("")}</channel></rss>`;
};

beforeEach(async () => {
  count = 3000;
  server = await startLocalServer((_req, res) =>
    res.writeHead(200, { "content-type": "application/rss+xml" }).end(rss()),
  );
  ctx = await config.open(`
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s, maxItems: 100 }
feeds:
  - { id: wire, url: "${server.origin}/wire.xml" }
`);
});
afterEach(() => server.close());

const feeds = () => config.feeds();

async function seenKeys(): Promise<number> {
  let cursor = "0";
  let n = 0;
  do {
    const [next, keys] = await ctx.redis.scan(
      cursor,
      "MATCH",
      `{${config.prefix}}:seen:wire:*`,
      "COUNT",
      1000,
    );
    cursor = next;
    n += keys.length;
  } while (cursor !== "0");
  return n;
}

test("a feed listing 3,000 items is read as its newest 100: bounded seen keys, and `feeds` says so", async () => {
  const first = await refreshFeed("wire", ctx.refreshDeps());
  expect(first.items).toBe(100);
  expect(await seenKeys()).toBeLessThanOrEqual(101); // the items, plus the feed's listing marker
  expect((await ctx.stores.feedStates.get("wire")).itemsOverCap).toBe(3000);
  expect(await feeds()).toContain("wire: lists 3000 items");

  // The newest item is among those kept; a new one on top is news.
  count = 3001;
  const next = await refreshFeed("wire", ctx.refreshDeps());
  expect(next.newItems).toBe(1);

  count = 50;
  await refreshFeed("wire", ctx.refreshDeps());
  expect((await ctx.stores.feedStates.get("wire")).itemsOverCap).toBeNull();
  expect(await feeds()).not.toContain("only the newest are read");
});
