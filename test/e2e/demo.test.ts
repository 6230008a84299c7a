import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import { afterEach, beforeEach, expect, test } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { dropPrefix, uniquePrefix } from "../helpers/redis.ts";

let dir: string;
let prefix: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-demo-"));
  prefix = uniquePrefix("demo-shell");
});
afterEach(async () => {
  await dropPrefix(prefix);
  await rm(dir, { recursive: true, force: true });
});

test("the Quick start demo delivers the Taji alert to the outbox, run after run, whatever the shell exports", async () => {
  // A developer's shell may point newswatch at a real mail server and a shared prefix: the
  // demo must neither send mail there nor see nothing new on its second run.
  const env = { NEWSWATCH_PREFIX: prefix, SMTP_URL: "smtp://127.0.0.1:9" };
  for (const run of [1, 2]) {
    const result = await runCli(["demo"], { cwd: dir, env, timeoutMs: 90_000 });
    expect(result.code, `run ${run}: ${result.stdout}${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/poll 1: 4 existing items recorded, no alerts/);
    expect(result.stdout).toMatch(/poll 2: 4 new items, 2 matched, 1 alert delivered/);
  }
  const outbox = path.join(dir, "outbox/demo");
  const emails = (await readdir(outbox)).filter((f) => f.endsWith(".eml"));
  expect(emails.length).toBeGreaterThanOrEqual(1);
  const mail = await simpleParser(await readFile(path.join(outbox, emails[0] as string)));
  expect(mail.subject).toMatch(/Taji/);
}, 200_000);
