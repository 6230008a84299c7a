import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { parse } from "yaml";
import type { CliIO } from "../../../src/cli/command.ts";
import importOpml from "../../../src/cli/commands/import-opml.ts";

const OPML = fileURLToPath(new URL("../../fixtures/feeds/subscriptions.opml", import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-opml-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(...argv: string[]) {
  let out = "";
  let err = "";
  const io: CliIO = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin: new PassThrough(),
    env: {},
    cwd: dir,
  };
  const code = await importOpml.run(argv, io);
  return { code, out, err };
}

const CONFIG = `# Newswatch config: the desk's feeds
redis: { url: redis://127.0.0.1:6379, prefix: newswatch }
feeds:
  # Kurdistan 24, polled often
  - { id: k24, url: "https://www.kurdistan24.example/en/rss", every: 5m }
  - id: tigris-wire
    url: https://news.example.org/feed/
watchlists: [] # none yet
`;

describe("newswatch import-opml", () => {
  test("prints every http(s) feed as a config entry with a unique slug id", async () => {
    const { code, out, err } = await run(OPML, "--config", "absent.yaml");
    expect(code).toBe(0);
    const { feeds } = parse(out) as { feeds: { id: string; url: string; title: string }[] };
    expect(feeds).toEqual([
      {
        id: "kurdistan-24-partners",
        url: "https://www.kurdistan24.example/en/rss",
        title: "Kurdistan 24 & Partners",
      },
      { id: "rudaw-english", url: "https://rudaw.example/rss", title: "Rudaw English" },
      { id: "rudaw-english-2", url: "https://rudaw.example/rss?lang=ar", title: "Rudaw English" },
      { id: "tigris-wire", url: "https://news.example.org/feed/", title: "Tigris Wire" },
      {
        id: "arabic-example-org-rss-xml",
        url: "https://arabic.example.org/rss.xml",
        title: "أخبار العراق",
      },
    ]);
    expect(err).toContain("gopher://old.example.org/feed: only http and https");
    expect(err).toContain("https://news.example.org/feed/#dup: already subscribed");
  });

  test("skips feeds the config already has and avoids its ids", async () => {
    await writeFile(path.join(dir, "newswatch.yaml"), CONFIG);
    const { code, out } = await run(OPML, "--config", "newswatch.yaml");
    expect(code).toBe(0);
    const { feeds } = parse(out) as { feeds: { id: string; url: string }[] };
    expect(feeds.map((f) => f.url)).not.toContain("https://news.example.org/feed/");
    expect(feeds.map((f) => f.url)).not.toContain("https://www.kurdistan24.example/en/rss");
    expect(feeds).toHaveLength(3);
  });

  test("--write appends to the feeds list and keeps the file's comments", async () => {
    const file = path.join(dir, "newswatch.yaml");
    await writeFile(file, CONFIG);
    const { code, out } = await run(OPML, "--write", "--config", file);
    expect(code).toBe(0);
    expect(out).toContain("added 3 feeds");
    const text = await readFile(file, "utf8");
    expect(text).toContain("# Newswatch config: the desk's feeds");
    expect(text).toContain("# Kurdistan 24, polled often");
    expect(text).toContain("# none yet");
    const config = parse(text) as { feeds: { id: string; url: string; every?: string }[] };
    expect(config.feeds.map((f) => f.id)).toEqual([
      "k24",
      "tigris-wire",
      "rudaw-english",
      "rudaw-english-2",
      "arabic-example-org-rss-xml",
    ]);
    expect(config.feeds[0]?.every).toBe("5m");
  });

  test("--write twice adds nothing the second time", async () => {
    const file = path.join(dir, "newswatch.yaml");
    await writeFile(file, CONFIG);
    await run(OPML, "--write", "--config", file);
    const before = await readFile(file, "utf8");
    const second = await run(OPML, "--write", "--config", file);
    expect(second.err).toContain("no new feeds");
    expect(await readFile(file, "utf8")).toBe(before);
  });

  test("a config without a feeds list gets one", async () => {
    const file = path.join(dir, "newswatch.yaml");
    await writeFile(file, "# empty so far\nredis: { url: redis://127.0.0.1:6379 }\n");
    await run(OPML, "--write", "--config", file);
    const config = parse(await readFile(file, "utf8")) as { feeds: unknown[] };
    expect(config.feeds).toHaveLength(5);
  });

  test("a file that is not OPML is a usage error", async () => {
    const notOpml = path.join(dir, "feed.xml");
    await writeFile(notOpml, '<rss version="2.0"><channel/></rss>');
    const { code, err } = await run(notOpml, "--config", "absent.yaml");
    expect(code).toBe(2);
    expect(err).toContain("not an OPML document");
  });

  test("--write without a config file to write to is a usage error", async () => {
    const { code, err } = await run(OPML, "--write", "--config", "absent.yaml");
    expect(code).toBe(2);
    expect(err).toContain("no such config file");
  });
});
