import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { runCli } from "../helpers/cli.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "nw-check-hostile-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function check(name: string, bytes: Buffer) {
  await writeFile(path.join(dir, name), bytes);
  return runCli(["check", "--config", name], { cwd: dir });
}

test("a config with a Latin-1 byte is refused with the file, line and byte, exit 2", async () => {
  const yaml = Buffer.concat([
    Buffer.from('feeds:\n  - { id: k24, url: "https://example.org/rss" }\n'),
    Buffer.from('watchlists:\n  - { id: w, title: W, query: "caf'),
    Buffer.from([0xe9]), // é in Latin-1; UTF-8 would be C3 A9
    Buffer.from('" }\n'),
  ]);
  const result = await check("latin1.yaml", yaml);
  expect(result.code).toBe(2);
  expect(result.stderr.trim()).toBe(
    "latin1.yaml: not valid UTF-8: byte 0xE9 at line 4, byte 35 of the line (byte 102 of the file); save the file as UTF-8",
  );
});

test("a YAML alias bomb is one FILE: line and exit 2, not a stack trace", async () => {
  const levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
  for (const name of "bcdefgh") {
    const prev = String.fromCharCode(name.charCodeAt(0) - 1);
    levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
  }
  const result = await check("bomb.yaml", Buffer.from(`${levels.join("\n")}\nfeeds: []\n`));
  expect(result.code).toBe(2);
  const lines = result.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^bomb\.yaml: YAML: more than 100 alias expansions/);
});
