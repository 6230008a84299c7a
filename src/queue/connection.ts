import { Redis } from "ioredis";

/**
 * Opens a Redis connection for one role. Workers block on Redis, so they must retry
 * commands forever (`maxRetriesPerRequest: null`, BullMQ production guide); producers
 * and CLI commands fail fast instead, so a user sees "Redis is down" rather than a hang.
 */
export function connectRedis(url: string, role: "worker" | "client"): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: role === "worker" ? null : 1,
    enableOfflineQueue: role === "worker",
    lazyConnect: false,
    connectionName: `newswatch-${role}`,
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
