import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, expect, test } from "vitest";
import { parseConfigText } from "../../../src/config/load.ts";
import { refreshFeed } from "../../../src/pipeline/refresh-feed.ts";
import { useTestContexts } from "../../helpers/context.ts";
import { REDIS_URL } from "../../helpers/redis.ts";

// A watchlist added by a reload starts from the items that arrive after it: the ones already
// seen are not news to anyone, and alerting on them would flood its subscribers.
let server: http.Server;
let origin: string;
let items: string[];
const contexts = useTestContexts("reload-watchlist");

const rss = () => `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
${items.map((t, i) => `<item><title>${t}</title><link>http://wire.example/${i}</link><guid>w${i}</guid></item>`).join("\n")}
</channel></rss>`;

beforeEach(async () => {
  items = ["Rocket hits base near Taji"];
  server = http.createServer((_req, res) =>
    res.writeHead(200, { "content-type": "application/rss+xml" }).end(rss()),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  server.closeAllConnections();
  server.close();
});

const yaml = (watchlists: string) => `
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s }
feeds:
  - { id: wire, url: "${origin}/wire.xml", backfill: 3650d }
watchlists:
${watchlists}
subscribers:
  - { id: desk, webhook: { url: "http://127.0.0.1:9/in" }, watchlists: [drones, rockets] }
`;
const DRONES = "  - { id: drones, title: Drones, query: drone }";
const ROCKETS = "  - { id: rockets, title: Rockets, query: rocket }";

test("a watchlist added by reload does not alert on items already seen, only on new ones", async () => {
  const first = yaml(`${DRONES}\n  - { id: rockets, title: Rockets, query: nothingmatches }`);
  const ctx = await contexts.open(first);
  expect((await refreshFeed("wire", ctx.refreshDeps())).deliveryIds).toEqual([]);

  ctx.reload({
    ...parseConfigText(yaml(`${DRONES}\n${ROCKETS}`), "test.yaml", {
      REDIS_URL,
      NEWSWATCH_PREFIX: contexts.prefix,
    }),
    file: "test.yaml",
  });
  const again = await refreshFeed("wire", ctx.refreshDeps());
  expect(again.deliveryIds).toEqual([]);

  items.push("Second rocket attack on the base");
  const next = await refreshFeed("wire", ctx.refreshDeps());
  expect(next.newItems).toBe(1);
  expect(next.matchesByWatchlist).toEqual({ rockets: 1 });
  expect(next.deliveryIds).toHaveLength(1);
});
