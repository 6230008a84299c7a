import { spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Logger } from "../log.ts";
import { Redis } from "../queue/commonjs.ts";
import { type RedisClient, redisLabel } from "../queue/connection.ts";

/** Redis did not answer and could not be started; the message names the fix. */
export class RedisUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RedisUnavailableError";
  }
}

// A person is waiting on the command: a Redis that accepts the connection but never replies
// (frozen, overloaded, a proxy with no backend) is reported after this long, not waited on.
const PROBE_TIMEOUT_MS = 2000;

/** "ok", "refused" (nothing listening: a private one may be started) or "silent". */
async function answers(url: string): Promise<"ok" | "refused" | "silent"> {
  const probe = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
    // The ready check's INFO would wait with no timeout; the PING below has one.
    enableReadyCheck: false,
    connectTimeout: PROBE_TIMEOUT_MS,
    commandTimeout: PROBE_TIMEOUT_MS,
  });
  // Only a refused connection means nothing is listening; a timeout means something is.
  let refused = false;
  probe.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "ECONNREFUSED") refused = true;
  });
  let timer: NodeJS.Timeout | undefined;
  const silence = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("no reply")), PROBE_TIMEOUT_MS);
  });
  try {
    // One deadline for connecting and the PING together.
    await Promise.race([probe.connect().then(() => probe.ping()), silence]);
    return "ok";
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    // Replaying its AOF after a restart: it will answer, and the real connection waits for it.
    if (/^LOADING/.test(e.message)) return "ok";
    return refused || e.code === "ECONNREFUSED" ? "refused" : "silent";
  } finally {
    clearTimeout(timer);
    probe.disconnect();
  }
}

function isLocal(url: URL): boolean {
  return ["127.0.0.1", "localhost", "[::1]", "::1"].includes(url.hostname);
}

/**
 * Makes sure Redis answers at `url`. When a local Redis is down and `redis-server` is
 * installed, starts a private one (data under ./data/redis, AOF on, noeviction) so a new
 * user's first command works; a remote Redis is never second-guessed.
 */
export async function ensureRedis(
  url: string,
  cwd: string,
  log: Logger,
  opts: { cluster?: boolean } = {},
): Promise<void> {
  const answer = await answers(url);
  if (answer === "ok") return;
  const parsed = new URL(url);
  const fix = `start Redis (e.g. \`redis-server\` or \`docker compose up -d redis\`) or set REDIS_URL`;
  // Something holds the port (or the host does not reply): starting a server would not help.
  if (answer === "silent")
    throw new RedisUnavailableError(
      `Redis at ${redisLabel(url)} is not answering (no reply within ${PROBE_TIMEOUT_MS / 1000} s): check that it is running and reachable, or set REDIS_URL`,
    );
  // A private single server is no stand-in for a cluster, nor for someone else's server.
  if (!isLocal(parsed) || opts.cluster)
    throw new RedisUnavailableError(`Redis at ${url} does not answer: ${fix}`);
  const found = spawnSync("redis-server", ["--version"], { stdio: "ignore" });
  if (found.error || found.status !== 0) {
    throw new RedisUnavailableError(
      `Redis at ${url} does not answer and redis-server is not installed: ${fix}`,
    );
  }
  const dir = path.resolve(cwd, "data/redis");
  mkdirSync(dir, { recursive: true });
  const port = parsed.port || "6379";
  const child = spawn(
    "redis-server",
    [
      "--port",
      port,
      "--bind",
      "127.0.0.1",
      "--dir",
      dir,
      "--appendonly",
      "yes",
      "--maxmemory-policy",
      "noeviction",
      "--daemonize",
      "yes",
      "--logfile",
      path.join(dir, "redis.log"),
    ],
    { stdio: "ignore" },
  );
  await new Promise((resolve) => child.on("exit", resolve));
  for (let i = 0; i < 50; i++) {
    if ((await answers(url)) === "ok") {
      log.warn(
        { dir, port },
        "Redis was not running: started a private redis-server (AOF on) with its data under ./data/redis",
      );
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new RedisUnavailableError(
    `Redis at ${url} does not answer and starting redis-server failed (see ${dir}/redis.log): ${fix}`,
  );
}

/** BullMQ loses jobs under eviction; say so when the server would evict (BullMQ production guide). */
export async function warnOnEviction(redis: RedisClient, log: Logger): Promise<void> {
  try {
    const reply = (await redis.config("GET", "maxmemory-policy")) as string[];
    const policy = reply[1];
    if (policy && policy !== "noeviction") {
      log.warn(
        { policy },
        "Redis maxmemory-policy is not noeviction: queued alerts may be evicted; set maxmemory-policy noeviction",
      );
    }
  } catch {
    // Managed Redis often forbids CONFIG; nothing to warn about then.
  }
}

/**
 * A Redis with neither AOF nor RDB snapshots forgets every queued alert and delivered record
 * when it restarts; the daemon says so once at start (BullMQ production guide: AOF on).
 */
export async function warnOnNoPersistence(redis: RedisClient, log: Logger): Promise<void> {
  try {
    const [, appendonly] = (await redis.config("GET", "appendonly")) as string[];
    const [, save] = (await redis.config("GET", "save")) as string[];
    if (appendonly === "no" && save === "") {
      log.warn(
        { appendonly, save },
        "Redis has no persistence (appendonly no, no save points): a restart loses queued alerts; set appendonly yes",
      );
    }
  } catch {
    // CONFIG forbidden (managed Redis): nothing to say.
  }
}
