import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, test } from "vitest";
import { freePort } from "../faults/sinks.ts";
import { runCli } from "../helpers/cli.ts";

let dir: string | undefined;
let port: number | undefined;

afterEach(async () => {
  if (port) {
    try {
      execFileSync("redis-cli", ["-p", String(port), "shutdown", "nosave"], { stdio: "ignore" });
    } catch {
      // already gone
    }
  }
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
  port = undefined;
});

test("with no Redis answering locally, newswatch starts a private one under ./data/redis and says so", async () => {
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-bootstrap-"));
  port = await freePort();
  const config = path.join(dir, "newswatch.yaml");
  await writeFile(config, `feeds:\n  - { id: wire, url: "https://wire.example.org/rss" }\n`);
  const run = await runCli(["feeds", "--config", config], {
    cwd: dir,
    env: { REDIS_URL: `redis://127.0.0.1:${port}`, LOG_LEVEL: "info" },
  });
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^wire\s+pending/m);
  expect(run.stderr).toContain("started a private redis-server");
  expect(existsSync(path.join(dir, "data/redis/appendonlydir"))).toBe(true);
});

test("a remote Redis that does not answer is a one-line error naming the fix", async () => {
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-bootstrap-"));
  const config = path.join(dir, "newswatch.yaml");
  await writeFile(config, "feeds: []\n");
  // 127.0.0.2 is loopback with nothing listening, but not one of the addresses newswatch
  // treats as "this machine's default Redis", so it must not try to start one there.
  const run = await runCli(["feeds", "--config", config], {
    cwd: dir,
    env: { REDIS_URL: "redis://127.0.0.2:1" },
  });
  expect(run.code).toBe(1);
  expect(run.stderr.trim().split("\n")).toHaveLength(1);
  expect(run.stderr).toMatch(
    /^newswatch: Redis at redis:\/\/127\.0\.0\.2:1 does not answer: start Redis/,
  );
});
