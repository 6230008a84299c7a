import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Subscriber } from "../alerts/subscriber.ts";
import { checkQuery } from "../rules/index.ts";
import { RECENT_WINDOW_MS } from "../store/recent-items.ts";
import { previewQuery } from "../subscriptions/preview.ts";
import { subscribe } from "../subscriptions/subscribe.ts";
import { checkSubscription } from "../subscriptions/validate.ts";
import { checkWatchlist } from "../subscriptions/watchlist-store.ts";
import type { SubscribeLimit } from "./pages/subscribe.ts";
import { suggestFromText } from "./suggest.ts";
import { knownWatchlists, reloadWatchlists, subscribeDeps, type WebDeps } from "./web-deps.ts";

const previewBody = z.strictObject({
  query: z.string().max(4000),
  stemming: z.boolean().optional(),
});

const ACCEPTED = {
  status: "pending-confirmation",
  message: "If the address can receive mail, a confirmation email is on its way.",
};

/**
 * The JSON API. One public endpoint (subscribe, rate-limited, same answer for every
 * address); everything else needs the admin token as a bearer token, or an admin session
 * with its CSRF header (the admin pages' scripts).
 */
export function registerApi(app: FastifyInstance, deps: WebDeps, limit: SubscribeLimit) {
  const { ctx } = deps;
  const admin = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!deps.auth.enabled)
      return reply.code(404).send({ error: "the admin API is off: set http.adminToken" });
    if (!deps.auth.allowsApi(req))
      return reply
        .code(401)
        .header("www-authenticate", "Bearer")
        .send({ error: "admin token required" });
  };
  const knownIds = async () => new Set((await knownWatchlists(deps)).map((w) => w.id));

  app.post(
    "/api/subscriptions",
    { config: { rateLimit: { max: limit.max, timeWindow: limit.timeWindowMs } } },
    async (req, reply) => {
      const check = checkSubscription(req.body, await knownIds());
      if (!check.ok)
        return reply.code(400).send({ error: "invalid subscription", fields: check.errors });
      const result = await subscribe(check.value, subscribeDeps(deps));
      ctx.log.info({ subscriberId: result.subscriberId, outcome: result.outcome }, "subscribe API");
      return reply.code(202).send(ACCEPTED);
    },
  );

  app.get("/api/subscriptions", { preHandler: admin }, async () => {
    const subs = await deps.subscriptions.list();
    const statuses = await Promise.all(subs.map((s) => ctx.stores.statuses.get(s.id)));
    return { subscriptions: subs.map((s, i) => ({ ...s, status: statuses[i]?.status })) };
  });

  app.get<{ Params: { id: string } }>(
    "/api/subscriptions/:id",
    { preHandler: admin },
    async (req, reply) => {
      const sub = await deps.ctx.findSubscriber(req.params.id);
      if (!sub) return reply.code(404).send({ error: "no such subscription" });
      return { ...sub, status: (await ctx.stores.statuses.get(sub.id)).status };
    },
  );

  app.patch<{ Params: { id: string } }>(
    "/api/subscriptions/:id",
    { preHandler: admin },
    async (req, reply) => {
      const sub = await deps.subscriptions.get(req.params.id);
      if (!sub) {
        const inConfig = ctx.snapshot().configSubscribers.some((s) => s.id === req.params.id);
        return inConfig
          ? reply
              .code(409)
              .send({ error: "this subscriber is defined in the config file; change it there" })
          : reply.code(404).send({ error: "no such subscription" });
      }
      const body = req.body ?? {};
      if (typeof body !== "object" || Array.isArray(body) || "email" in body)
        return reply.code(400).send({
          error:
            "send an object of the fields to change; the address cannot change (sign up again)",
        });
      // Merged raw, then validated whole: a partial schema would fill absent fields with defaults.
      const merged = { ...stored(sub), ...body, email: sub.email };
      const check = checkSubscription(merged, await knownIds());
      if (!check.ok) return reply.code(400).send({ error: "invalid change", fields: check.errors });
      const { email: _email, ...policy } = check.value;
      return deps.subscriptions.update(sub.id, policy);
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/api/subscriptions/:id",
    { preHandler: admin },
    async (req, reply) => {
      if (!(await deps.subscriptions.delete(req.params.id)))
        return reply.code(404).send({ error: "no such subscription" });
      return reply.code(204).send();
    },
  );

  app.get("/api/watchlists", { preHandler: admin }, async () => ({
    watchlists: await knownWatchlists(deps),
  }));

  const saveWatchlist = async (body: unknown, reply: FastifyReply, mustBeNew: boolean) => {
    const check = checkWatchlist(body, ctx.snapshot().config.lists);
    if (!check.ok)
      return reply
        .code(400)
        .send({ error: "invalid watchlist", fields: check.errors, column: check.column });
    const known = await knownWatchlists(deps);
    const existing = known.find((w) => w.id === check.value.id);
    if (existing?.readOnly)
      return reply
        .code(409)
        .send({ error: "this watchlist is defined in the config file; change it there" });
    if (existing && mustBeNew)
      return reply.code(409).send({ error: "a watchlist with this id exists; use PUT" });
    const created = await deps.watchlists.put(check.value);
    await reloadWatchlists(deps);
    return reply.code(created ? 201 : 200).send(check.value);
  };

  app.post("/api/watchlists", { preHandler: admin }, async (req, reply) =>
    saveWatchlist(req.body, reply, true),
  );

  app.put<{ Params: { id: string } }>(
    "/api/watchlists/:id",
    { preHandler: admin },
    async (req, reply) => {
      const body = { ...(req.body as object), id: req.params.id };
      return saveWatchlist(body, reply, false);
    },
  );

  // The editor checks as you type: parse only, no matching, so it can run on every keystroke.
  app.post("/api/watchlists/check", { preHandler: admin }, async (req, reply) => {
    const body = previewBody.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: "send {query, stemming?}" });
    return checkQuery(body.data.query, ctx.snapshot().config.lists, {
      stemming: body.data.stemming,
    });
  });

  app.post("/api/watchlists/preview", { preHandler: admin }, async (req, reply) => {
    const body = previewBody.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: "send {query, stemming?}" });
    const now = deps.now();
    const items = await ctx.stores.recent.list(now - RECENT_WINDOW_MS);
    return previewQuery(
      body.data.query,
      { stemming: body.data.stemming, lists: ctx.snapshot().config.lists, now },
      items,
    );
  });

  app.post("/api/watchlists/suggest", { preHandler: admin }, async (req, reply) => {
    const text = (req.body as { text?: unknown } | undefined)?.text;
    if (typeof text !== "string" || text.trim() === "")
      return reply.code(400).send({ error: "send {text}: the article to suggest a query from" });
    const { query, reasons } = suggestFromText(text);
    if (query === "") return reply.code(422).send({ error: reasons.join("; "), reasons });
    return { query, reasons };
  });
}

/** A stored subscriber as subscription input, so a PATCH is validated as a whole. */
function stored(sub: Subscriber) {
  const { id: _id, source: _source, webhook: _webhook, ...rest } = sub;
  return rest;
}
