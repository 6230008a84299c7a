import { type ChildProcess, spawn } from "node:child_process";
import { Redis } from "ioredis";
import { afterEach, expect, test } from "vitest";
import { logLines, running, spawnRole, stop, useFaultWorld, writeConfig } from "./harness.ts";
import { freePort } from "./sinks.ts";

const world = useFaultWorld("redis-settings");
let server: ChildProcess | null = null;
afterEach(async () => {
  const s = server;
  server = null;
  if (s && s.exitCode === null) await stop(s, "SIGKILL");
});

/** A throwaway redis-server with the two settings production must not have. */
async function careless(): Promise<string> {
  const port = await freePort();
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--appendonly", "no", "--save", ""];
  server = spawn("redis-server", [...args, "--maxmemory-policy", "allkeys-lru"], {
    stdio: "ignore",
  });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
    probe.on("error", () => {});
    const up = await probe.connect().then(
      () => probe.ping().then(() => true),
      () => false,
    );
    probe.disconnect();
    if (up) return url;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("redis-server did not start");
}

test("the daemon warns once at start about an evicting policy and about a Redis without persistence", async () => {
  const { hook, feeds, dir, prefix } = world;
  const url = await careless();
  const config = await writeConfig(dir, {
    feeds: [{ id: "wire", url: `${feeds.origin}/none.xml` }],
    webhookUrl: hook.url,
  });
  const daemon = spawnRole(["start"], { config, prefix, cwd: dir, env: { REDIS_URL: url } });
  world.processes.push(daemon);
  await running(daemon);
  const messages = logLines(daemon).map((l) => String(l.msg));
  expect(
    messages.filter((m) => m.startsWith("Redis maxmemory-policy is not noeviction")),
  ).toHaveLength(1);
  expect(messages.filter((m) => m.startsWith("Redis has no persistence"))).toHaveLength(1);
  expect(await stop(daemon)).toBe(0);
}, 60_000);
