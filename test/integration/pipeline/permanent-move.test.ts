import { afterEach, beforeEach, expect, test } from "vitest";
import { refreshFeed } from "../../../src/pipeline/refresh-feed.ts";
import { useConfigDir } from "../../helpers/config-dir.ts";
import { type LocalServer, startLocalServer } from "../../helpers/local-server.ts";

const RSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Council meets</title><link>http://wire.example/1</link><guid>w1</guid></item>
</channel></rss>`;

const config = useConfigDir("move");
const feeds = config.feeds;
let server: LocalServer;
let origin: string;

beforeEach(async () => {
  server = await startLocalServer((req, res) => {
    if (req.url === "/old.xml") res.writeHead(301, { location: "/new.xml" }).end();
    else res.writeHead(200, { "content-type": "application/rss+xml" }).end(RSS);
  });
  origin = server.origin;
});
afterEach(() => server.close());

test("a permanent move sends the admin one notice and shows in newswatch feeds, moved from and to", async () => {
  const yaml = `
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s }
admin: { email: [admin@example.org] }
feeds:
  - { id: wire, url: "${origin}/old.xml" }
  - { id: calm, url: "${origin}/calm.xml" }
`;
  const ctx = await config.open(yaml);
  await refreshFeed("calm", ctx.refreshDeps());
  for (let i = 0; i < 4; i++) await refreshFeed("wire", ctx.refreshDeps());

  const notices = await ctx.queues.email.getJobs(["waiting", "delayed", "active", "completed"]);
  expect(notices.map((j) => [j.data.target.address, j.data.message.notice.subject])).toEqual([
    ["admin@example.org", "[newswatch] feed wire moved permanently"],
  ]);
  expect(notices[0]?.data.message.notice.text).toContain(
    `from ${origin}/old.xml to ${origin}/new.xml`,
  );

  const table = await feeds();
  expect(table).toContain(
    `Moved permanently (301/308); put the new URL in the config:\n  wire: ${origin}/old.xml -> ${origin}/new.xml\n`,
  );
  expect(table).not.toMatch(/calm: /);
  const json = (await feeds("--json"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { id: string; url: string; movedFrom: string | null });
  expect(json.map((f) => [f.id, f.url, f.movedFrom])).toEqual([
    ["calm", `${origin}/calm.xml`, null],
    ["wire", `${origin}/new.xml`, `${origin}/old.xml`],
  ]);
});
