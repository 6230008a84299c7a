import { Redis } from "ioredis";

/**
 * Opens the Redis connection a newswatch process shares between its queues, workers and
 * stores. Workers block on Redis, so commands are retried forever rather than failed
 * (`maxRetriesPerRequest: null`, BullMQ production guide): a Redis restart is waited out, not
 * turned into lost jobs. Commands that must not hang on a dead Redis check it first
 * (ensureRedis before a command starts, pingRedis with a timeout for /readyz).
 */
export function connectRedis(url: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    lazyConnect: false,
    connectionName: "newswatch-worker",
    retryStrategy: (times) => Math.min(200 * 2 ** times, 5000),
  });
}

/** Waits for a connection to answer PING, with a clear error when it does not. */
export async function pingRedis(redis: Redis, url: string, timeoutMs = 3000): Promise<void> {
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(
      () => reject(new Error(`Redis at ${url} did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    ).unref(),
  );
  await Promise.race([redis.ping(), timeout]);
}
