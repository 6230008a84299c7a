import { type LoadedConfig, loadConfig, resolveConfigPath } from "../config/load.ts";
import { ConfigError } from "../config/problem.ts";
import { createLogger, type Logger } from "../log.ts";
import { AppContext } from "../runtime/context.ts";
import { ensureRedis, RedisUnavailableError, warnOnEviction } from "../runtime/ensure-redis.ts";
import { watchRedis } from "../runtime/redis-watch.ts";
import { type CliIO, EXIT } from "./command.ts";

/** Loads the config named by --config / NEWSWATCH_CONFIG, printing problems; null means exit 2. */
export async function loadOrReport(
  flag: string | undefined,
  io: CliIO,
): Promise<LoadedConfig | null> {
  const file = resolveConfigPath(flag, io.env, io.cwd);
  try {
    const loaded = await loadConfig(file, io.env, io.cwd);
    for (const warning of loaded.warnings) io.stderr.write(`warning: ${warning}\n`);
    return loaded;
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`${err.problems.join("\n")}\n`);
      return null;
    }
    throw err;
  }
}

/**
 * Loads the config and connects to Redis (starting a private one when the local one is down
 * and redis-server is installed). Returns an exit code when it cannot.
 */
export async function openContext(
  flag: string | undefined,
  io: CliIO,
  log?: Logger,
): Promise<{ ctx: AppContext; log: Logger } | number> {
  const loaded = await loadOrReport(flag, io);
  if (!loaded) return EXIT.usage;
  const logger = log ?? createLogger(io.env);
  try {
    await ensureRedis(loaded.config.redis.url, io.cwd, logger, {
      cluster: loaded.config.redis.cluster,
    });
  } catch (err) {
    if (err instanceof RedisUnavailableError) {
      io.stderr.write(`newswatch: ${err.message}\n`);
      return EXIT.failed;
    }
    throw err;
  }
  const ctx = await AppContext.create(loaded, logger, io.cwd, io.startWorkers);
  await warnOnEviction(ctx.redis, logger);
  return { ctx, log: logger };
}

/** Opens the context, runs a command body with it and always closes it (exit code passes through). */
export async function withContext(
  flag: string | undefined,
  io: CliIO,
  body: (ctx: AppContext) => Promise<number>,
): Promise<number> {
  const opened = await openContext(flag, io);
  if (typeof opened === "number") return opened;
  const watch = watchRedis(opened.ctx.redis, opened.ctx.snapshot().config.redis.url);
  let redisLost = false;
  try {
    return await Promise.race([body(opened.ctx), watch.failed]);
  } catch (err) {
    if (!(err instanceof RedisUnavailableError)) throw err;
    io.stderr.write(`newswatch: ${err.message}\n`);
    redisLost = true;
    return EXIT.failed;
  } finally {
    watch.stop();
    // Closing talks to Redis too: with Redis gone it would hang, and the process exits anyway.
    if (!redisLost) await opened.ctx.close();
  }
}
