import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { BACKLOG, rssFeed } from "../fixtures/stories/wire.ts";
import { exited, startCli } from "../helpers/cli.ts";
import { type FeedServer, startFeedServer } from "../helpers/feed-server.ts";
import { dropPrefix, uniquePrefix } from "../helpers/redis.ts";

let feeds: FeedServer;
let dir: string;
let prefix: string;

beforeEach(async () => {
  feeds = await startFeedServer();
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-daemon-"));
  prefix = uniquePrefix("daemon");
});
afterEach(async () => {
  await feeds.close();
  await dropPrefix(prefix);
  await rm(dir, { recursive: true, force: true });
});

const yaml = (feedIds: string[]) => `
http: { port: 0 }
defaults: { firstPollSpread: 1s }
security: { allowPrivateNetworks: true }
feeds:
${feedIds.map((id) => `  - { id: ${id}, url: "${feeds.origin}/${id}.xml" }`).join("\n")}
watchlists:
  - { id: w, title: W, query: rocket }
`;

async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test("the daemon answers health checks, reloads a valid config, refuses an invalid one, and exits 0 on SIGTERM", async () => {
  const config = path.join(dir, "newswatch.yaml");
  await writeFile(config, yaml(["one"]));
  for (const id of ["one", "two"]) feeds.serve(`/${id}.xml`, rssFeed(id, feeds.origin, BACKLOG));
  const daemon = startCli(["start", "--config", config], {
    env: { NEWSWATCH_PREFIX: prefix },
    cwd: dir,
  });
  try {
    const url = await waitFor(
      () => daemon.output().match(/"url":"(http:\/\/[^"]+)"/)?.[1],
      "the HTTP server",
    );
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: "ok" });
    const ready = await waitFor(async () => {
      const res = await fetch(`${url}/readyz`);
      return res.status === 200 ? res.json() : undefined;
    }, "readiness");
    expect(ready).toMatchObject({
      status: "ready",
      checks: { redis: true, config: true, workers: true },
    });
    await waitFor(
      () => (feeds.requests.some((r) => r.path === "/one.xml") ? true : undefined),
      "the first poll",
    );

    await writeFile(config, `${yaml(["one"])}\nwatchlists: [oops`);
    daemon.kill("SIGHUP");
    await waitFor(
      () => (daemon.output().includes("config reload refused") ? true : undefined),
      "the refusal",
    );

    await writeFile(config, yaml(["one", "two"]));
    daemon.kill("SIGHUP");
    await waitFor(
      () => (feeds.requests.some((r) => r.path === "/two.xml") ? true : undefined),
      "the added feed's poll",
      90_000,
    );
  } finally {
    daemon.kill("SIGTERM");
    expect(await exited(daemon)).toBe(0);
  }
  expect(daemon.output()).toContain('"msg":"stopped"');
}, 120_000);

test("editing the config file reloads it without a signal, after save after save (editors save by renaming)", async () => {
  const config = path.join(dir, "newswatch.yaml");
  await writeFile(config, yaml(["one"]));
  const daemon = startCli(["start", "--config", config], {
    env: { NEWSWATCH_PREFIX: prefix, SMTP_URL: "" },
    cwd: dir,
  });
  /** Writes a new file beside it and renames it over the config, as vim and most editors do. */
  const save = async (text: string) => {
    const tmp = path.join(dir, ".newswatch.yaml.swp");
    await writeFile(tmp, text);
    await rename(tmp, config);
  };
  const reloads = () => daemon.output().split('"msg":"config reloaded"').length - 1;
  try {
    await waitFor(
      () => (feeds.requests.some((r) => r.path === "/one.xml") ? true : undefined),
      "the first poll",
    );
    await save(yaml(["one", "two"]));
    await waitFor(() => (reloads() >= 1 ? true : undefined), "the first reload");
    await save(yaml(["one", "two", "three"]));
    await waitFor(() => (reloads() >= 2 ? true : undefined), "the second reload");
    await waitFor(
      () => (feeds.requests.some((r) => r.path === "/three.xml") ? true : undefined),
      "the poll of the feed added by the second save",
      30_000,
    );
  } finally {
    daemon.kill("SIGTERM");
    expect(await exited(daemon)).toBe(0);
  }
}, 90_000);
