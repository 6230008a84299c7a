import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, expect, test } from "vitest";
import type { CliIO } from "../../../src/cli/command.ts";
import feedsCommand from "../../../src/cli/commands/feeds.ts";
import { refreshFeed } from "../../../src/pipeline/refresh-feed.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { testContext } from "../../helpers/context.ts";
import { dropPrefix, REDIS_URL, uniquePrefix } from "../../helpers/redis.ts";

// A feed listing thousands of items is an archive: one poll reads only the newest maxItems.
let server: http.Server;
let origin: string;
let dir: string;
let prefix: string;
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
  server = http.createServer((_req, res) =>
    res.writeHead(200, { "content-type": "application/rss+xml" }).end(rss()),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-archive-"));
  prefix = uniquePrefix("archive");
  const yaml = `
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s, maxItems: 100 }
feeds:
  - { id: wire, url: "${origin}/wire.xml" }
`;
  await writeFile(path.join(dir, "newswatch.yaml"), yaml);
  ctx = await testContext(yaml, prefix, dir);
});
afterEach(async () => {
  await ctx?.close();
  server.closeAllConnections();
  server.close();
  await dropPrefix(prefix);
  await rm(dir, { recursive: true, force: true });
});

async function feeds(): Promise<string> {
  let out = "";
  const io: CliIO = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: () => true },
    stdin: new PassThrough(),
    env: { REDIS_URL, NEWSWATCH_PREFIX: prefix, LOG_LEVEL: "silent" },
    cwd: dir,
  };
  expect(await feedsCommand.run(["--config", path.join(dir, "newswatch.yaml")], io)).toBe(0);
  return out;
}

async function seenKeys(): Promise<number> {
  let cursor = "0";
  let n = 0;
  do {
    const [next, keys] = await ctx.redis.scan(
      cursor,
      "MATCH",
      `{${prefix}}:seen:wire:*`,
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
