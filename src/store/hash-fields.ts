import type { RedisClient } from "../queue/connection.ts";

/**
 * Writes a record's changed fields into its Redis hash in one round trip: a value is stored
 * as text, and null (or undefined) removes the field, so "no value" is never stored as "null".
 */
export async function writeHashFields(
  redis: RedisClient,
  key: string,
  changes: Record<string, unknown>,
): Promise<void> {
  const set: Record<string, string> = {};
  const del: string[] = [];
  for (const [field, value] of Object.entries(changes)) {
    if (value === null || value === undefined) del.push(field);
    else set[field] = String(value);
  }
  const pipeline = redis.pipeline();
  if (Object.keys(set).length > 0) pipeline.hset(key, set);
  if (del.length > 0) pipeline.hdel(key, ...del);
  await pipeline.exec();
}
