import formbody from "@fastify/formbody";
import Fastify, { type FastifyInstance } from "fastify";
import { decodeBody } from "../feeds/decode.ts";
import { processPush } from "../pipeline/push-feed.ts";
import { registerAdminQueues } from "./admin-queues.ts";
import { registerHealthRoutes } from "./health.ts";
import type { HttpContext } from "./http-context.ts";
import { registerMetricsRoute } from "./metrics.ts";
import { registerRedisGuard } from "./redis-guard.ts";
import { registerUnsubscribeRoutes } from "./unsubscribe.ts";
import { registerWeb, type WebOptions } from "./web.ts";
import { registerWebSubRoutes } from "./websub.ts";

export interface HttpOptions {
  /** Reports whether the workers this process runs are up, for /readyz. */
  workersRunning(): boolean;
  /** Subscriptions, admin API and pages: the reload hook for API watchlists, rate limits. */
  web?: WebOptions;
}

/** The daemon's HTTP server: health, readiness, metrics, unsubscribe, API and pages. */
export async function createHttpServer(
  ctx: HttpContext,
  opts: HttpOptions,
): Promise<FastifyInstance> {
  // Client addresses (for rate limits) come from X-Forwarded-For only behind a trusted proxy:
  // otherwise any client could claim any address and slip past the limits.
  const app = Fastify({
    logger: false,
    trustProxy: ctx.snapshot().config.http.trustProxy,
    bodyLimit: 1024 * 1024,
  });
  await app.register(formbody);
  registerRedisGuard(app, ctx.redis, ctx.snapshot().config.redis.url);
  registerHealthRoutes(app, ctx, () => opts.workersRunning());
  registerUnsubscribeRoutes(app, ctx);
  const web = await registerWeb(app, ctx, opts.web);
  registerMetricsRoute(app, ctx.metrics);
  await registerWebSubRoutes(app, {
    store: ctx.stores.websub,
    onPush: async (feedId, body, contentType) => {
      const text = decodeBody(body, contentType ?? null);
      await processPush(feedId, text, contentType, ctx.refreshDeps());
    },
    maxBodyBytes: ctx.snapshot().config.defaults.maxBodyBytes,
    log: ctx.log,
    now: () => Date.now(),
  });
  await registerAdminQueues(app, {
    queues: ctx.queues,
    adminToken: ctx.snapshot().config.http.adminToken,
    auth: web.auth,
  });
  return app;
}

export async function startHttpServer(
  ctx: HttpContext,
  opts: HttpOptions,
): Promise<FastifyInstance> {
  const app = await createHttpServer(ctx, opts);
  const { port, host } = ctx.snapshot().config.http;
  await app.listen({ port, host });
  ctx.log.info(
    { url: `http://${host}:${(app.server.address() as { port: number }).port}` },
    "HTTP server listening",
  );
  return app;
}
