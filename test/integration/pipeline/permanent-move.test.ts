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

const RSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Council meets</title><link>http://wire.example/1</link><guid>w1</guid></item>
</channel></rss>`;

let server: http.Server;
let origin: string;
let dir: string;
let prefix: string;
let ctx: AppContext;

beforeEach(async () => {
  server = http.createServer((req, res) => {
    if (req.url === "/old.xml") res.writeHead(301, { location: "/new.xml" }).end();
    else res.writeHead(200, { "content-type": "application/rss+xml" }).end(RSS);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-move-"));
  prefix = uniquePrefix("move");
});
afterEach(async () => {
  await ctx?.close();
  server.closeAllConnections();
  server.close();
  await dropPrefix(prefix);
  await rm(dir, { recursive: true, force: true });
});

async function feeds(...argv: string[]): Promise<string> {
  let out = "";
  const io: CliIO = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: () => true },
    stdin: new PassThrough(),
    env: { REDIS_URL, NEWSWATCH_PREFIX: prefix, LOG_LEVEL: "silent" },
    cwd: dir,
  };
  expect(await feedsCommand.run(["--config", path.join(dir, "newswatch.yaml"), ...argv], io)).toBe(
    0,
  );
  return out;
}

test("a permanent move sends the admin one notice and shows in newswatch feeds, moved from and to", async () => {
  const yaml = `
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s }
admin: { email: [admin@example.org] }
feeds:
  - { id: wire, url: "${origin}/old.xml" }
  - { id: calm, url: "${origin}/calm.xml" }
`;
  await writeFile(path.join(dir, "newswatch.yaml"), yaml);
  ctx = await testContext(yaml, prefix, dir);
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
