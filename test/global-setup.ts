import path from "node:path";
import { silentLogger } from "../src/log.ts";
import { ensureRedis } from "../src/runtime/ensure-redis.ts";
import { REDIS_URL } from "./helpers/redis.ts";

/**
 * The suite needs Redis at REDIS_URL. As with the CLI, a machine that only has the
 * `redis-server` program gets a private one started (data under ./data/redis), so the
 * README's test command works on its own there too.
 */
export default async function setup(): Promise<void> {
  await ensureRedis(REDIS_URL, path.resolve(import.meta.dirname, ".."), silentLogger);
}
