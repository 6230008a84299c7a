import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { REPO } from "../helpers/cli.ts";

const VERSION = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")).version;
const CHECKOUT_FILES = ["bin", "src", "workers", "config", "package.json", "tsconfig.json"];

let checkout: string;
let bare: string;

/** `newswatch --version` as a user runs it in `dir`. */
function version(dir: string) {
  const run = spawnSync(process.execPath, [path.join(dir, "bin/newswatch.js"), "--version"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, NEWSWATCH_RUNTIME: "" },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => {
  // A developer's checkout, built the way `npm ci` builds it (the prepare script).
  checkout = mkdtempSync(path.join(tmpdir(), "newswatch-checkout-"));
  for (const f of [...CHECKOUT_FILES, "tsconfig.build.json", "scripts/build.js"]) {
    cpSync(path.join(REPO, f), path.join(checkout, f), { recursive: true });
  }
  symlinkSync(path.join(REPO, "node_modules"), path.join(checkout, "node_modules"));
  execFileSync(process.execPath, ["scripts/build.js"], { cwd: checkout, stdio: "ignore" });
  // An install with neither a build nor tsx (what `npm ci --omit=dev` of an unbuilt copy gives).
  bare = mkdtempSync(path.join(tmpdir(), "newswatch-bare-"));
  for (const f of CHECKOUT_FILES)
    cpSync(path.join(REPO, f), path.join(bare, f), { recursive: true });
}, 120_000);

afterAll(() => {
  for (const dir of [checkout, bare]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("bin/newswatch.js", () => {
  test("runs a fresh build without a word on stderr", () => {
    expect(version(checkout)).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
  });

  test("says when the build is older than the sources, and runs the sources instead", () => {
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(checkout, "src/cli/main.ts"), later, later);
    const run = version(checkout);
    expect(run.stderr).toContain("the build in dist/ is older than src/");
    expect(run.stderr).toContain("npm run build");
    expect(run).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  test("without a build and without tsx, tells the user to run `npm run build` and exits 2", () => {
    const run = version(bare);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe("newswatch: there is no build in dist/; run `npm run build` first.\n");
  });
});
