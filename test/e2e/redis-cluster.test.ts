import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BACKLOG, rssFeed, TAJI } from "../fixtures/stories/wire.ts";
import { runCli } from "../helpers/cli.ts";
import { type FeedServer, startFeedServer } from "../helpers/feed-server.ts";
import { haveRedisServer, type LocalCluster, startLocalCluster } from "../helpers/redis-cluster.ts";
import { type Receiver, startReceiver } from "../integration/channels/http-receiver.ts";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

describe.skipIf(!haveRedisServer)("on a Redis Cluster", () => {
  let cluster: LocalCluster;
  let feeds: FeedServer;
  let hook: Receiver;
  let dir: string;

  beforeAll(async () => {
    [cluster, feeds, hook] = await Promise.all([
      startLocalCluster(),
      startFeedServer(),
      startReceiver(),
    ]);
    dir = await mkdtemp(path.join(tmpdir(), "newswatch-cluster-e2e-"));
  }, 60_000);
  afterAll(async () => {
    await Promise.all([cluster?.stop(), feeds?.close(), hook?.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  test("run-once polls, remembers what it saw and delivers the Taji alert once, on three masters", async () => {
    const config = path.join(dir, "newswatch.yaml");
    await writeFile(
      config,
      `
redis: { url: "${cluster.urlAwayFrom("nwcluster")}", prefix: nwcluster, cluster: true }
security: { allowPrivateNetworks: true }
feeds:
  - { id: wire, url: "${feeds.origin}/wire.xml" }
watchlists:
  - { id: bases, title: Bases, query: '(katyusha OR rocket*) AND (base OR taji)' }
subscribers:
  - id: siem
    webhook: { url: "${hook.origin}/hook", secret: "${SECRET}" }
    watchlists: [bases]
`,
    );
    const runOnce = () =>
      runCli(["run-once", "--config", config, "--retry-for", "5s"], {
        cwd: dir,
        env: { REDIS_URL: "", NEWSWATCH_PREFIX: "" },
      });
    feeds.serve("/wire.xml", rssFeed("Test Wire", feeds.origin, BACKLOG));
    const first = await runOnce();
    expect(first.code, first.stdout + first.stderr).toBe(0);
    feeds.serve("/wire.xml", rssFeed("Test Wire", feeds.origin, [...BACKLOG, TAJI]));
    const second = await runOnce();
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toContain("alerts:  1 delivered, 0 failed");
    const third = await runOnce();
    expect(third.stdout).toContain("alerts:  0 delivered, 0 failed");
    expect(hook.received).toHaveLength(1);
    expect(JSON.parse(hook.received[0]?.body ?? "{}").item.title).toBe(TAJI.title);
  }, 90_000);
});
