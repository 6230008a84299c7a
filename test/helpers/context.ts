import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach } from "vitest";
import { QueueDispatcher } from "../../src/alerts/dispatch.ts";
import { parseConfigText } from "../../src/config/load.ts";
import { silentLogger } from "../../src/log.ts";
import { AppContext } from "../../src/runtime/context.ts";
import { startWorkers } from "../../workers/index.ts";
import { dropPrefix, REDIS_URL, uniquePrefix } from "./redis.ts";

/** An AppContext on a test's own Redis prefix, from config YAML (file name "test.yaml"). */
export async function testContext(yaml: string, prefix: string, cwd?: string): Promise<AppContext> {
  const dir = cwd ?? (await mkdtemp(path.join(tmpdir(), "newswatch-ctx-")));
  const loaded = parseConfigText(yaml, "test.yaml", { REDIS_URL, NEWSWATCH_PREFIX: prefix });
  return AppContext.create(
    { ...loaded, file: path.join(dir, "test.yaml") },
    silentLogger,
    dir,
    startWorkers,
  );
}

export interface TestContexts {
  /** This test's Redis prefix (fresh for each test). */
  readonly prefix: string;
  /** A context on the test's prefix from config YAML, closed after the test. */
  open(yaml: string): Promise<AppContext>;
  /** Closes a context now (a restart in the middle of a test). */
  close(ctx: AppContext): Promise<void>;
  /** Closes after the test a context made some other way. */
  keep(ctx: AppContext): AppContext;
}

/**
 * Contexts on one Redis prefix per test, for the integration tests that open several (two
 * schedulers, a restart): the prefix is made before each test, and after it every context
 * still open is closed and the prefix's keys are dropped.
 */
export function useTestContexts(name: string): TestContexts {
  const open: AppContext[] = [];
  let prefix = "";
  beforeEach(() => {
    prefix = uniquePrefix(name);
  });
  afterEach(async () => {
    for (const ctx of open.splice(0)) await ctx.close();
    await dropPrefix(prefix);
  });
  return {
    get prefix() {
      return prefix;
    },
    open: async (yaml) => {
      const ctx = await testContext(yaml, prefix);
      open.push(ctx);
      return ctx;
    },
    close: async (ctx) => {
      open.splice(open.indexOf(ctx), 1);
      await ctx.close();
    },
    keep: (ctx) => {
      open.push(ctx);
      return ctx;
    },
  };
}

/** The context's alert dispatcher, as the pipeline builds it, with its clock fixed at `iso`. */
export function dispatcherAt(ctx: AppContext, iso: string): QueueDispatcher {
  return new QueueDispatcher({
    redis: ctx.redis,
    keys: ctx.keys,
    enqueue: ctx.enqueue,
    pending: ctx.stores.pending,
    log: silentLogger,
    now: () => new Date(iso),
  });
}
