import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** A prefix no other test uses, so tests can share the one Redis server. */
export function uniquePrefix(name: string): string {
  return `nwtest-${name}-${randomBytes(4).toString("hex")}`;
}

/** Deletes every key under a prefix (newswatch's own keys and BullMQ's, all `{prefix}`-tagged). */
export async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `{${prefix}}*`, "COUNT", 5000);
      cursor = next;
      // Chunked: a benchmark's prefix can hold hundreds of thousands of keys.
      for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
