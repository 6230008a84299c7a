import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { dropPrefix, uniquePrefix } from "../helpers/redis.ts";

const RSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Council meets</title><link>http://wire.example/1</link><guid>w1</guid></item>
</channel></rss>`;

let requests: string[];
let server: http.Server;
let dir: string;
let prefix: string;

beforeEach(async () => {
  requests = [];
  server = http.createServer((req, res) => {
    requests.push(req.url ?? "");
    if (req.url === "/busy.xml") res.writeHead(429, { "retry-after": "3600" }).end();
    else res.writeHead(200, { "content-type": "application/rss+xml" }).end(RSS);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-e2e-"));
  prefix = uniquePrefix("e2e-retry-after");
});
afterEach(async () => {
  server.closeAllConnections();
  server.close();
  await dropPrefix(prefix);
  await rm(dir, { recursive: true, force: true });
});

test("run-once from cron respects a publisher's Retry-After for all its feeds, says so, exits 0; --force polls them", async () => {
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = path.join(dir, "newswatch.yaml");
  await writeFile(
    config,
    `security: { allowPrivateNetworks: true }
feeds:
  - { id: busy, url: "${origin}/busy.xml" }
  - { id: calm, url: "${origin}/calm.xml" }
`,
  );
  const run = (...extra: string[]) =>
    runCli(["run-once", "--config", config, "--retry-for", "1s", ...extra], {
      env: { NEWSWATCH_PREFIX: prefix },
      cwd: dir,
    });

  const first = await run();
  expect(first.code).toBe(1); // busy answered 429

  requests = [];
  const second = await run();
  expect(second.code).toBe(0);
  expect(second.stdout).toContain("feeds:   0 ok, 0 failed, 2 skipped");
  expect(second.stdout).toMatch(
    /feed busy skipped: held by the publisher's Retry-After until \d{4}-.*Z \(--force polls it anyway\)/,
  );
  expect(second.stdout).toMatch(/feed calm skipped: held by the publisher's Retry-After/);
  expect(requests).toEqual([]);

  const forced = await run("--force");
  expect(forced.code).toBe(1);
  expect(forced.stdout).toContain("feeds:   1 ok, 1 failed");
  expect(requests.sort()).toEqual(["/busy.xml", "/calm.xml"]);
}, 60_000);
