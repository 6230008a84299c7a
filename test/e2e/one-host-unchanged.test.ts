import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { dropPrefix, uniquePrefix } from "../helpers/redis.ts";

const FEEDS = 50;

const rss = (
  n: number,
) => `<?xml version="1.0"?><rss version="2.0"><channel><title>Desk ${n}</title>
<item><title>Council meets ${n}</title><link>http://wire.example/${n}</link><guid>w${n}</guid></item>
</channel></rss>`;

let server: http.Server;
let dir: string;
let prefix: string;
let inFlight = 0;
let peak = 0;
let answers: number[];

beforeEach(async () => {
  answers = [];
  server = http.createServer((req, res) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    const n = Number(req.url?.match(/\d+/)?.[0]);
    const etag = `"desk-${n}"`;
    // A few milliseconds per answer, so requests that are allowed to overlap do.
    setTimeout(() => {
      inFlight--;
      const status = req.headers["if-none-match"] === etag ? 304 : 200;
      answers.push(status);
      if (status === 304) res.writeHead(304, { etag }).end();
      else res.writeHead(200, { "content-type": "application/rss+xml", etag }).end(rss(n));
    }, 5);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-e2e-"));
  prefix = uniquePrefix("e2e-one-host");
});
afterEach(async () => {
  server.closeAllConnections();
  server.close();
  await dropPrefix(prefix);
  await rm(dir, { recursive: true, force: true });
});

async function runOnce(hostSpacing: string) {
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = path.join(dir, `newswatch-${hostSpacing}.yaml`);
  const feeds = Array.from(
    { length: FEEDS },
    (_, n) => `  - { id: desk-${n}, url: "${origin}/desk/${n}.xml" }`,
  );
  await writeFile(
    config,
    `security: { allowPrivateNetworks: true }
defaults: { maxConcurrentPerHost: 2, hostSpacing: ${hostSpacing} }
feeds:
${feeds.join("\n")}
`,
  );
  return runCli(["run-once", "--config", config, "--retry-for", "1s"], {
    env: { NEWSWATCH_PREFIX: prefix },
    cwd: dir,
  });
}

test("50 unchanged feeds on one host are all asked again under a 10-minute hostSpacing, never more than 2 at once", async () => {
  const first = await runOnce("0s");
  expect(first.code).toBe(0);
  expect(answers.filter((s) => s === 200)).toHaveLength(FEEDS);

  answers = [];
  peak = 0;
  // Every answer is a 304: spaced, this would take eight hours; it finishes within the deadline.
  const rerun = await runOnce("10m");
  expect(rerun.code).toBe(0);
  expect(answers).toEqual(Array(FEEDS).fill(304));
  expect(peak).toBeLessThanOrEqual(2);
  expect(peak).toBe(2); // the cap is used, not just respected
}, 60_000);
