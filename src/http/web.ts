import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../runtime/context.ts";
import { AdminAuth } from "./admin-auth.ts";
import { registerApi } from "./api.ts";
import { registerAssets } from "./assets.ts";
import { registerActivityPage } from "./pages/admin-activity.ts";
import { registerAdminSignIn } from "./pages/admin-sign-in.ts";
import { registerSourcesPage } from "./pages/admin-sources.ts";
import { registerWatchlistPages } from "./pages/admin-watchlists.ts";
import { registerConfirmPages } from "./pages/confirm.ts";
import { registerManagePages } from "./pages/manage.ts";
import { registerSubscribePages, type SubscribeLimit } from "./pages/subscribe.ts";
import { reloadWatchlists, type WebDeps } from "./web-deps.ts";

export interface WebOptions {
  /** Sign-ups per client address and window (subscribe page and API together). */
  subscribeLimit?: SubscribeLimit;
  now?(): number;
}

/** @defaultValue 20 sign-ups per client address per 10 minutes */
const DEFAULT_LIMIT: SubscribeLimit = { max: 20, timeWindowMs: 10 * 60_000 };

/** Subscriptions API, admin API, and the pages: subscribe, confirm, manage, admin. */
export async function registerWeb(
  app: FastifyInstance,
  ctx: AppContext,
  opts: WebOptions = {},
): Promise<WebDeps> {
  const { http } = ctx.snapshot().config;
  await app.register(cookie);
  // Counted in Redis, so every process behind a load balancer shares one count per client.
  await app.register(rateLimit, {
    global: false,
    redis: ctx.redis,
    nameSpace: ctx.keys.rateLimitNamespace(),
  });
  const deps: WebDeps = {
    ctx,
    subscriptions: ctx.subscriptions,
    watchlists: ctx.apiWatchlists,
    auth: new AdminAuth(ctx.links.secret, http.adminToken, http.publicUrl.startsWith("https:")),
    now: opts.now ?? Date.now,
  };
  // A restarted server matches with the watchlists saved before the restart.
  await reloadWatchlists(deps);
  const limit = opts.subscribeLimit ?? DEFAULT_LIMIT;
  registerAssets(app);
  registerSubscribePages(app, deps, limit);
  registerConfirmPages(app, deps);
  registerManagePages(app, deps);
  registerAdminSignIn(app, deps);
  registerWatchlistPages(app, deps);
  registerSourcesPage(app, deps);
  registerActivityPage(app, deps);
  registerApi(app, deps, limit);
  return deps;
}
