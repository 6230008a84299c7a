import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { testContext } from "../helpers/context.ts";
import { dropPrefix, REDIS_URL, uniquePrefix } from "../helpers/redis.ts";
import { recentItem } from "../integration/http/recent-fixtures.ts";

let dir: string;
let prefix: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-suggest-"));
  prefix = uniquePrefix("suggest-cli");
});
afterEach(async () => {
  await dropPrefix(prefix);
  await rm(dir, { recursive: true, force: true });
});

const CONFIG = "watchlists:\n  - { id: w, title: W, query: rocket }\n";

test("suggest counts the last 7 days' stored items the query would have caught, and learns exclusions from them", async () => {
  const ctx = await testContext(CONFIG, prefix, dir);
  const now = Date.now();
  await ctx.stores.recent.add(
    [
      recentItem(
        1,
        "Rockets hit Ain al-Asad air base",
        "The base hosts US troops in Iraq.",
        now,
        0,
      ),
      recentItem(2, "Drone strikes Harir base", "Coalition forces said no one was hurt.", now, 1),
      recentItem(
        3,
        "Coalition and Iraqi troops hold rocket drill at Taji",
        "A live fire exercise at the base north of Baghdad.",
        now,
        2,
      ),
      recentItem(4, "Baghdad book fair opens", "Publishers from across Iraq came.", now, 3),
    ],
    now,
  );
  await ctx.close();
  await writeFile(path.join(dir, "newswatch.yaml"), CONFIG);
  await writeFile(
    path.join(dir, "taji.txt"),
    "Two Katyusha rockets hit Taji base\nThe base north of Baghdad hosts Coalition trainers.",
  );
  const env = { REDIS_URL, NEWSWATCH_PREFIX: prefix };
  const result = await runCli(["suggest", "taji.txt", "--config", "newswatch.yaml"], {
    cwd: dir,
    env,
  });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toMatch(/^\(@indirect_fire OR @drones\) AND /);
  expect(result.stdout).toContain(
    "-@drills: drills and exercises (1 of the 3 recent items it catches)",
  );
  expect(result.stdout).toMatch(/last 7 days: 2 of 4 stored items would have matched/);
  expect(result.stdout).toContain("  Rockets hit Ain al-Asad air base");
  expect(result.stdout).not.toContain("  Coalition and Iraqi troops hold rocket drill");
}, 90_000);

test("an example with no usable words gets a clear message and exit 2", async () => {
  await writeFile(path.join(dir, "empty.txt"), "The and of\nit is to be");
  const result = await runCli(["suggest", "empty.txt"], { cwd: dir });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(
    "empty.txt: no usable words: the text has no key words to watch for\n",
  );
}, 60_000);
