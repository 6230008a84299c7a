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

// A publisher answering 429/503 with Retry-After is asking for a pause, not failing.
let server: http.Server;
let origin: string;
let dir: string;
let prefix: string;
let ctx: AppContext;
let broken = false;

beforeEach(async () => {
  broken = false;
  server = http.createServer((_req, res) => {
    if (broken) res.writeHead(500).end();
    else res.writeHead(503, { "retry-after": "3600" }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-held-"));
  prefix = uniquePrefix("held");
  const yaml = `
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s, failureNoticeAfter: 2 }
admin: { email: [admin@example.org] }
feeds:
  - { id: busy, url: "${origin}/busy.xml" }
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

const notices = async () =>
  (await ctx.queues.email.getJobs(["waiting", "delayed", "active", "completed"])).map(
    (j) => j.data.message.notice.subject as string,
  );

test("a 503 with Retry-After shows as held in `feeds`, is counted apart from failures and sends no failure notice", async () => {
  for (let i = 0; i < 3; i++) await refreshFeed("busy", ctx.refreshDeps());
  const state = await ctx.stores.feedStates.get("busy");
  expect([state.consecutiveErrors, state.consecutiveHolds]).toEqual([0, 3]);
  expect(await notices()).toEqual([]);

  const until = new Date(state.retryAfterUntil ?? 0).toISOString().slice(0, 16).replace("T", " ");
  expect(await feeds()).toContain(`held (publisher asked to wait until ${until} UTC)`);
  const json = JSON.parse((await feeds("--json")).trim());
  expect([json.health, json.consecutiveHolds]).toEqual(["held", 3]);
});

test("real errors still count: past failureNoticeAfter the admin is told the feed is failing", async () => {
  await refreshFeed("busy", ctx.refreshDeps());
  broken = true;
  for (let i = 0; i < 2; i++) await refreshFeed("busy", ctx.refreshDeps());
  expect((await ctx.stores.feedStates.get("busy")).consecutiveErrors).toBe(2);
  expect(await notices()).toEqual(["[newswatch] feed busy is failing"]);
});
