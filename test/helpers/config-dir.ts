import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, expect } from "vitest";
import type { CliIO } from "../../src/cli/command.ts";
import feedsCommand from "../../src/cli/commands/feeds.ts";
import type { AppContext } from "../../src/runtime/context.ts";
import { testContext } from "./context.ts";
import { dropPrefix, REDIS_URL, uniquePrefix } from "./redis.ts";

export interface ConfigDir {
  /** This test's Redis prefix. */
  readonly prefix: string;
  /** Writes the config as `newswatch.yaml` in the test's directory and opens a context on it. */
  open(yaml: string): Promise<AppContext>;
  /** `newswatch feeds ARGV` on that config and Redis prefix, run in-process: its stdout. */
  feeds(...argv: string[]): Promise<string>;
}

/**
 * A config file in a directory of its own per test, the context built from it and the `feeds`
 * command reading the same Redis prefix: the context is closed, the prefix's keys dropped and
 * the directory removed after each test.
 */
export function useConfigDir(name: string): ConfigDir {
  let dir = "";
  let prefix = "";
  let ctx: AppContext | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), `newswatch-${name}-`));
    prefix = uniquePrefix(name);
  });
  afterEach(async () => {
    await ctx?.close();
    ctx = undefined;
    await dropPrefix(prefix);
    await rm(dir, { recursive: true, force: true });
  });
  const file = () => path.join(dir, "newswatch.yaml");
  return {
    get prefix() {
      return prefix;
    },
    async open(yaml) {
      await writeFile(file(), yaml);
      ctx = await testContext(yaml, prefix, dir);
      return ctx;
    },
    async feeds(...argv) {
      let out = "";
      const io: CliIO = {
        stdout: { write: (s: string) => (out += s) },
        stderr: { write: () => true },
        stdin: new PassThrough(),
        env: { REDIS_URL, NEWSWATCH_PREFIX: prefix, LOG_LEVEL: "silent" },
        cwd: dir,
      };
      expect(await feedsCommand.run(["--config", file(), ...argv], io)).toBe(0);
      return out;
    },
  };
}
