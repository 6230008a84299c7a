import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { refreshFeed } from "../../src/pipeline/refresh-feed.ts";
import { BACKLOG } from "../fixtures/stories/wire.ts";
import { runCli } from "../helpers/cli.ts";
import { useTestContexts } from "../helpers/context.ts";
import { type FeedServer, startFeedServer } from "../helpers/feed-server.ts";

let server: FeedServer;
let dir: string;
const contexts = useTestContexts("e2e-sources");

beforeEach(async () => {
  server = await startFeedServer();
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-sources-"));
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function cli(yaml: string, ...args: string[]) {
  const file = path.join(dir, "newswatch.yaml");
  await writeFile(file, yaml);
  return runCli([...args, "--config", file], {
    env: { NEWSWATCH_PREFIX: contexts.prefix },
    cwd: dir,
  });
}

const page = `<!DOCTYPE html><html><head>
<link rel="alternate" type="application/atom+xml" title="News" href="/news.atom">
<link rel="alternate" type="application/feed+json" title="News (JSON)" href="/news.json">
<link rel="hub" href="https://hub.example.org/">
</head><body></body></html>`;

describe("feeds --discover and the polled URL", () => {
  test("--discover lists the feeds and hub a page names and marks the one a poll would read", async () => {
    server.serve("/", page, "text/html");
    const yaml = "security: { allowPrivateNetworks: true }\n";
    const result = await cli(yaml, "feeds", "--discover", `${server.origin}/`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`* atom ${server.origin}/news.atom  "News"`);
    expect(result.stdout).toContain(`  json ${server.origin}/news.json  "News (JSON)"`);
    expect(result.stdout).toContain("hub  https://hub.example.org/ (WebSub push)");
  });

  test("--discover refuses a private address unless the config allows it", async () => {
    server.serve("/", page, "text/html");
    const result = await cli("feeds: []\n", "feeds", "--discover", `${server.origin}/`);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/private|loopback|not allowed|refused/i);
  });

  test("feeds keeps the configured page URL and shows the feed actually polled", async () => {
    server.serve("/", page, "text/html");
    server.serve("/news.atom", atom(), "application/atom+xml");
    const yaml = `security: { allowPrivateNetworks: true }
feeds:
  - { id: site, url: "${server.origin}/" }
`;
    const ctx = await contexts.open(yaml);
    expect((await refreshFeed("site", ctx.refreshDeps())).status).toBe("ok");
    const table = await cli(yaml, "feeds");
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(`site: ${server.origin}/ -> ${server.origin}/news.atom`);
    const json = await cli(yaml, "feeds", "--json");
    expect(JSON.parse(json.stdout)).toMatchObject({
      id: "site",
      url: `${server.origin}/news.atom`,
      discoveredFrom: `${server.origin}/`,
      movedFrom: null,
    });
  });
});

describe("feeds and WebSub", () => {
  test("feeds says which feeds are pushed, and why another is not", async () => {
    const yaml = `feeds:
  - { id: pushed, url: "https://wire.example.org/feed.xml" }
  - { id: silent-hub, url: "https://other.example.org/rss" }
  - { id: plain, url: "https://plain.example.org/rss" }
`;
    const ctx = await contexts.open(yaml);
    const now = Date.now();
    await ctx.stores.websub.update("pushed", {
      state: "verified",
      hub: "https://hub.example.org/",
      topic: "https://wire.example.org/feed.xml",
      secret: "s3cret-never-shown",
      requestedAt: now - 60_000,
      verifiedAt: now - 60_000,
      leaseExpiresAt: Date.parse("2026-12-13T10:00:00Z"),
      pushes: 4,
    });
    await ctx.stores.websub.update("silent-hub", {
      state: "failed",
      hub: "https://hub.other.example/",
      topic: "https://other.example.org/rss",
      secret: "x",
      requestedAt: now - 3_600_000,
      error:
        "hub https://hub.other.example/ never verified the subscription (asked 2026-12-03T09:00:00.000Z)",
    });
    const table = await cli(yaml, "feeds");
    expect(table.stdout).toContain(
      "  pushed: pushed by https://hub.example.org/, lease until 2026-12-13T10:00:00.000Z, 4 pushes",
    );
    expect(table.stdout).toContain(
      "  silent-hub: not pushed (polled as usual): hub https://hub.other.example/ never verified the subscription",
    );
    expect(table.stdout).not.toMatch(/^\s+plain:/m);
    const json = (await cli(yaml, "feeds", "--json")).stdout;
    expect(json).not.toContain("s3cret-never-shown");
    const rows = json
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.find((r) => r.id === "pushed")?.push).toMatchObject({
      state: "verified",
      pushes: 4,
    });
    expect(rows.find((r) => r.id === "plain")?.push).toBeNull();
  });
});

describe("feeds --preview", () => {
  test("prints the items a page yields with the configured selectors, and nothing is stored", async () => {
    const html = await readFile(
      path.join(import.meta.dirname, "../fixtures/pages/ministry-news.html"),
      "utf8",
    );
    server.serve("/en/news/", html, "text/html");
    const yaml = `security: { allowPrivateNetworks: true }
feeds:
  - id: moi
    kind: html
    url: "${server.origin}/en/news/"
    select: { item: .news-item, title: h3, date: time }
`;
    const result = await cli(yaml, "feeds", "--preview", "moi");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`moi (kind html): 3 items from ${server.origin}/en/news/`);
    expect(result.stdout).toContain(
      `2026-12-02T05:15:00.000Z  Border posts reinforced in Anbar after drone sighting\n  ${server.origin}/en/news/2026/12/border-posts-reinforced\n  Security forces added patrols`,
    );
    const bad = await cli(yaml.replace(".news-item", ".card"), "feeds", "--preview", "moi");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('feed moi: select.item ".card" matched no story');
  });
});

function atom(): string {
  const entries = BACKLOG.map(
    (s) =>
      `<entry><id>${s.guid}</id><title>${s.title}</title><updated>${s.published}</updated><link href="${server.origin}/n/${s.guid}"/><summary>${s.text}</summary></entry>`,
  ).join("");
  return `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>News</title><id>x</id><updated>2026-11-21T00:00:00Z</updated>${entries}</feed>`;
}
