import type { FastifyInstance } from "fastify";
import { pingRedis } from "../queue/connection.ts";
import type { HttpContext } from "./http-context.ts";

export function registerHealthRoutes(
  app: FastifyInstance,
  ctx: Pick<HttpContext, "redis" | "snapshot">,
  workersRunning: () => boolean,
): void {
  // Liveness: the process answers. Never touches Redis, so a Redis outage does not get the
  // process restarted by an orchestrator (it reconnects on its own).
  app.get("/healthz", async () => ({ status: "ok" }));

  // Readiness: can this process do its job right now?
  app.get("/readyz", async (_req, reply) => {
    const checks = {
      redis: await pingRedis(ctx.redis, "redis", 1000)
        .then(() => true)
        .catch(() => false),
      config: ctx.snapshot().loadedAt !== undefined,
      workers: workersRunning(),
    };
    const ready = Object.values(checks).every(Boolean);
    return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "not ready", checks });
  });
}
