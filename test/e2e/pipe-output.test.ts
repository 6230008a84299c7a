import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { REPO } from "../helpers/cli.ts";

const BIN = path.join(REPO, "bin/newswatch.js");
const ITEMS = 2000;

let dir: string;
let feedFile: string;

/** A feed of ITEMS reports, each long enough that the output is many pipe buffers (64 KB) deep. */
function bigFeed(): string {
  const items = Array.from(
    { length: ITEMS },
    (_, i) =>
      `<item><guid>report-${i}</guid><title>Rocket report ${i}</title><link>https://example.org/${i}</link>` +
      `<description>${"A rocket landed near the base. ".repeat(60)}</description></item>`,
  ).join("");
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://example.org</link><description>d</description>${items}</channel></rss>`;
}

/** Runs `newswatch ARGS | { sleep 1; cat; }`: the reader only starts once the CLI is long done writing. */
function throughSlowReader(args: string[]): Promise<string> {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`);
  return new Promise((resolve, reject) => {
    const shell = spawn("sh", ["-c", `${quoted.join(" ")} | { sleep 1; cat; }`], {
      cwd: dir,
      env: { ...process.env, LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    shell.stdout.on("data", (d) => (out += d));
    shell.on("error", reject);
    shell.on("exit", () => resolve(out));
  });
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-pipe-"));
  feedFile = path.join(dir, "wire.xml");
  await writeFile(feedFile, bigFeed());
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("output through a pipe", () => {
  test("match --json reaches a reader that sleeps before reading, every line of it", async () => {
    const out = await throughSlowReader(["match", "--json", "--query", "rocket", feedFile]);
    const lines = out.trimEnd().split("\n");
    expect(lines).toHaveLength(ITEMS);
    expect(JSON.parse(lines.at(-1) ?? "").itemId).toBeDefined();
    expect(lines.map((l) => JSON.parse(l).title)).toContain(`Rocket report ${ITEMS - 1}`);
  });
});
