import type { FastifyInstance } from "fastify";
import { pingRedis, type RedisClient, redisLabel } from "../queue/connection.ts";

// Health, readiness and metrics answer without Redis by design; assets need none.
const NEEDS_NO_REDIS = /^\/(healthz|readyz|metrics)(\?|$)|^\/assets\//;
const PING_TIMEOUT_MS = 2000;

/**
 * A request that needs Redis is answered 503 within two seconds when Redis is not answering,
 * instead of waiting on the daemon's connection, which retries for ever so its workers ride
 * out a restart. One PING per request: well under a millisecond on a working Redis.
 */
export function registerRedisGuard(app: FastifyInstance, redis: RedisClient, url: string): void {
  const message = `Redis at ${redisLabel(url)} is not answering; try again shortly`;
  app.addHook("onRequest", async (req, reply) => {
    if (NEEDS_NO_REDIS.test(req.url)) return;
    try {
      await pingRedis(redis, url, PING_TIMEOUT_MS);
    } catch {
      reply.code(503).header("retry-after", "10");
      if (req.url.startsWith("/api/")) return reply.send({ error: message });
      return reply.type("text/plain; charset=utf-8").send(`${message}\n`);
    }
  });
}
