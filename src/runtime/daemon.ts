import { statSync, watch } from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { loadConfig } from "../config/load.ts";
import { ConfigError } from "../config/problem.ts";
import type { RunningWorkers } from "../queue/worker-roles.ts";
import type { RunningScheduler } from "../scheduler/scheduler.ts";
import type { AppContext } from "./context.ts";
import { pullForwardRetimedFeeds } from "./retime-feeds.ts";

const API_WATCHLIST_REFRESH_MS = 15_000;

export interface Roles {
  scheduler: boolean;
  workers: ("poll" | "deliver" | "digest")[];
  http: boolean;
}

/**
 * Runs the given roles until SIGTERM/SIGINT: then scheduling stops first, workers finish
 * their active jobs (up to workers.shutdownTimeout; a job cut off is re-run by the next
 * worker), and the process exits 0. SIGHUP or an edit of the config file reloads it.
 */
export async function runDaemon(ctx: AppContext, roles: Roles): Promise<number> {
  await ctx.loadApiWatchlists();
  const { config } = ctx.snapshot();
  // Each role's code is loaded only when the process runs that role: a scheduler needs neither
  // the HTTP server (fastify, bull-board, the pages) nor the workers' parser and channels.
  let workers: RunningWorkers | null = null;
  if (roles.workers.length > 0) {
    // Counted only where /metrics serves them: a worker without HTTP could not be scraped.
    const hooks = roles.http ? (await import("../metrics/hooks.ts")).metricHooks(ctx.metrics) : {};
    workers = ctx.startWorkers(roles.workers, hooks);
  }
  let scheduler: RunningScheduler | null = null;
  if (roles.scheduler) scheduler = (await import("../scheduler/scheduler.ts")).startScheduler(ctx);
  let http: FastifyInstance | null = null;
  if (roles.http) {
    const { startHttpServer } = await import("../http/server.ts");
    http = await startHttpServer(ctx, {
      workersRunning: () => workers?.workers.every((w) => w.isRunning()) ?? true,
    });
  }
  ctx.log.info(
    { roles, feeds: config.feeds.length, watchlists: config.watchlists.length },
    "newswatch running",
  );

  const stopWatching = watchConfig(ctx);
  // Watchlists saved through the API live in Redis; every process picks up changes made by
  // any other within this interval (the rules are recompiled only when something changed).
  const apiWatchlists = setInterval(() => {
    ctx
      .loadApiWatchlists()
      .catch((err: Error) =>
        ctx.log.warn({ err: err.message }, "could not refresh API watchlists"),
      );
  }, API_WATCHLIST_REFRESH_MS);
  const onHup = () => void reload(ctx);
  process.on("SIGHUP", onHup);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
  ctx.log.info({ signal }, "shutting down: no new polls, finishing active jobs");
  process.off("SIGHUP", onHup);
  stopWatching();
  clearInterval(apiWatchlists);
  const timeout = ctx.snapshot().config.workers.shutdownTimeout;
  const graceful = (async () => {
    await scheduler?.stop();
    await http?.close();
    await workers?.close();
    await ctx.close();
  })();
  const timedOut = await Promise.race([
    graceful.then(() => false),
    new Promise<boolean>((r) => setTimeout(() => r(true), timeout).unref()),
  ]);
  if (timedOut)
    ctx.log.warn(
      { timeoutMs: timeout },
      "shutdown timeout: active jobs left to be retried by the next worker",
    );
  else ctx.log.info("stopped");
  return 0;
}

/** Validates before swapping: an invalid file is refused and the running config stays. */
export async function reload(ctx: AppContext): Promise<boolean> {
  const file = ctx.snapshot().file;
  try {
    const before = ctx.snapshot().config;
    const loaded = await loadConfig(file);
    ctx.reload(loaded);
    const retimed = await pullForwardRetimedFeeds(before, loaded.config, ctx.stores.feedStates);
    if (retimed.length > 0)
      ctx.log.info({ feeds: retimed }, "new URL or shorter interval: next poll brought forward");
    return true;
  } catch (err) {
    const problems = err instanceof ConfigError ? err.problems : [(err as Error).message];
    ctx.log.error({ file, problems }, "config reload refused: keeping the running config");
    return false;
  }
}

/**
 * Reloads when the config file changes on disk. The directory is watched, not the file:
 * editors save by writing a new file and renaming it over the old one, and Kubernetes swaps a
 * symlink, so a watch on the file itself goes deaf after the first save. Any event in the
 * directory is checked against the file's identity (inode, size, mtime, symlinks followed).
 */
function watchConfig(ctx: AppContext): () => void {
  const file = ctx.snapshot().file;
  let timer: NodeJS.Timeout | null = null;
  let last = fileIdentity(file);
  const check = () => {
    const now = fileIdentity(file);
    if (now === null || now === last) return; // mid-save, or not ours
    last = now;
    void reload(ctx);
  };
  try {
    const watcher = watch(path.dirname(file), () => {
      // Saves come in bursts (truncate, write, rename): look once things settle.
      if (timer) clearTimeout(timer);
      timer = setTimeout(check, 300);
    });
    watcher.on("error", () => {});
    return () => {
      if (timer) clearTimeout(timer);
      watcher.close();
    };
  } catch {
    return () => {};
  }
}

function fileIdentity(file: string): string | null {
  try {
    const s = statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return null;
  }
}
