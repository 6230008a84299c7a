import type { FastifyInstance } from "fastify";
import type { Metrics } from "../metrics/registry.ts";

/**
 * `GET /metrics` in the Prometheus text format. Unauthenticated like /healthz: bind the
 * server to a private interface (http.host) or filter it at the proxy when that matters.
 */
export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics): void {
  app.get("/metrics", async (_req, reply) => {
    const body = await metrics.render();
    return reply.header("content-type", metrics.contentType).send(body);
  });
}
