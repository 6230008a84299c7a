import type { RedisOptions } from "ioredis";
import { Cluster, Redis } from "./commonjs.ts";

/** One Redis server, or a Redis Cluster (`redis.cluster: true`): the API newswatch uses is the same. */
export type RedisClient = Redis | Cluster;

/**
 * Opens the Redis connection a newswatch process shares between its queues, workers and
 * stores. Workers block on Redis, so commands are retried forever rather than failed
 * (`maxRetriesPerRequest: null`, BullMQ production guide): a Redis restart is waited out, not
 * turned into lost jobs. Commands that must not hang on a dead Redis check it first
 * (ensureRedis before a command starts, pingRedis with a timeout for /readyz).
 */
export function connectRedis(url: string, opts: { cluster?: boolean } = {}): RedisClient {
  const options: RedisOptions = {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    lazyConnect: false,
    connectionName: "newswatch-worker",
  };
  const retryStrategy = (times: number) => Math.min(200 * 2 ** times, 5000);
  if (!opts.cluster) return new Redis(url, { ...options, retryStrategy });
  // The URL names one node; the client learns the others from it. Every newswatch key shares
  // the `{prefix}` hash tag, so each command and script stays within one slot.
  return new Cluster([url], {
    redisOptions: options,
    clusterRetryStrategy: retryStrategy,
    enableOfflineQueue: true,
  });
}

/** The Redis URL without its password, for messages a person or an HTTP client sees. */
export function redisLabel(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return parsed.href.replace(/\/$/, "");
  } catch {
    return "the configured Redis";
  }
}

/** Waits for a connection to answer PING, with a clear error when it does not. */
export async function pingRedis(redis: RedisClient, url: string, timeoutMs = 3000): Promise<void> {
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(
      () => reject(new Error(`Redis at ${url} did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    ).unref(),
  );
  await Promise.race([redis.ping(), timeout]);
}
