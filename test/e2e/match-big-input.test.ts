import { spawn } from "node:child_process";
import { mkdtemp, rm, truncate, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { REPO, runCli } from "../helpers/cli.ts";

// match reads a feed the way the daemon does: whole (rss-parser takes a string), so its input
// is bounded by the body cap a fetched feed has, and memory with it.
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "nw-match-big-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("a 100 MB file is refused with its name and the cap, without being read", async () => {
  const file = path.join(dir, "huge.txt");
  await writeFile(file, "Rocket report\n");
  await truncate(file, 100 * 1024 * 1024); // sparse: no 100 MB written to disk
  const result = await runCli(["match", "--query", "rocket", "huge.txt"], { cwd: dir });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(
    "huge.txt: larger than 10 MiB, the body cap a fetched feed has too",
  );
});

test("standard input is read only up to the cap: a 1 GB pipe is cut off, not buffered", async () => {
  const child = spawn(
    process.execPath,
    [path.join(REPO, "bin/newswatch.js"), "match", "--query", "rocket", "-"],
    { cwd: dir, stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, LOG_LEVEL: "warn" } },
  );
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const chunk = Buffer.alloc(1024 * 1024, "rocket ");
  let written = 0;
  child.stdin.on("error", () => {}); // EPIPE once the command stops reading
  const pump = () => {
    while (written < 1024 && !child.stdin.destroyed) {
      written++;
      if (!child.stdin.write(chunk)) return void child.stdin.once("drain", pump);
    }
    child.stdin.end();
  };
  pump();
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  expect(code).toBe(2);
  expect(stderr).toContain("-: larger than 10 MiB");
  expect(written).toBeLessThan(512); // MiB handed to the pipe before the command gave up
}, 60_000);
