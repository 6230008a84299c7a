import type { FastifyInstance } from "fastify";
import { RECENT_WINDOW_MS } from "../../store/recent-items.ts";
import { matchesPerWatchlist } from "../../subscriptions/preview.ts";
import { barChart } from "../chart.ts";
import { html } from "../html.ts";
import { seeOther } from "../reply.ts";
import { knownWatchlists, type WebDeps } from "../web-deps.ts";
import { csrfField, requireAdmin, sendAdminPage } from "./admin-shell.ts";
import { describeAttempts, formatTime, outcomeBadge, safeLink } from "./delivery-rows.ts";

/** Matches per watchlist per day, recent deliveries, failed ones with a retry button. */
export function registerActivityPage(app: FastifyInstance, deps: WebDeps) {
  const { ctx } = deps;

  app.get<{ Querystring: { retried?: string } }>("/admin/activity", async (req, reply) => {
    const s = requireAdmin(deps, req, reply);
    if (!s) return reply;
    const now = deps.now();
    const watchlists = await knownWatchlists(deps);
    const matches = matchesPerWatchlist(
      watchlists.map((w) => ({ id: w.id, query: w.query, stemming: w.stemming })),
      ctx.snapshot().config.lists,
      await ctx.stores.recent.list(now - RECENT_WINDOW_MS),
      now,
    );
    const titles = new Map(watchlists.map((w) => [w.id, w.title]));
    const people = [...ctx.snapshot().configSubscribers, ...(await deps.subscriptions.list())];
    const addresses = new Map(people.map((p) => [p.id, p.email ?? p.id]));
    const who = (id: string, channel: string) =>
      channel === "email" ? (addresses.get(id) ?? id) : `${id} (${channel})`;
    const recent = await describeAttempts(
      await ctx.stores.deliveries.listAttempts({ limit: 30 }),
      ctx.queues,
    );
    // Failed now: a delivery sent again (the retry button, `newswatch retry`) drops off.
    const failed = await describeAttempts(
      await ctx.stores.deliveries.listAttempts({ failedNow: true, limit: 30 }),
      ctx.queues,
    );
    return sendAdminPage(
      reply,
      s,
      "/admin/activity",
      "Activity",
      html`<h1>Activity</h1>
${req.query.retried ? html`<p class="notice" role="status">${req.query.retried === "1" ? "The delivery is queued again." : "That delivery cannot be retried (it is no longer failed, or no longer kept)."}</p>` : ""}
<section><h2>Matches per watchlist, last 7 days</h2>
<ul class="cards">
${matches.map(
  (
    m,
  ) => html`<li class="card"><div class="card-head"><strong>${titles.get(m.watchlistId) ?? m.watchlistId}</strong> <span class="hint">${m.total} matches</span></div>
${barChart(
  m.perDay.map((d) => ({ label: d.day, value: d.count })),
  { title: `Matches per day: ${titles.get(m.watchlistId) ?? m.watchlistId}`, height: 40 },
)}
<ul class="day-counts">${m.perDay.map((d) => html`<li><span>${d.day.slice(5)}</span> <strong>${d.count}</strong></li>`)}</ul></li>`,
)}
</ul></section>
<section><h2>Failed deliveries</h2>
${
  failed.length === 0
    ? html`<p>None.</p>`
    : html`<table class="rows" id="failed"><thead><tr><th scope="col">When (UTC)</th><th scope="col">Message</th><th scope="col">To</th><th scope="col">Error</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead><tbody>
${failed.map(
  (a) =>
    html`<tr><td>${formatTime(a.at, "UTC")}</td><td dir="auto">${safeLink(a.link, a.about)}</td><td>${who(a.subscriberId, a.channel)}</td><td>${a.detail}</td><td><form method="post" action="/admin/deliveries/${encodeURIComponent(a.deliveryId)}/retry">${csrfField(s)}<button type="submit" class="secondary">Retry</button></form></td></tr>`,
)}</tbody></table>`
}</section>
<section><h2>Recent deliveries</h2>
${
  recent.length === 0
    ? html`<p>None yet.</p>`
    : html`<table class="rows" id="recent"><thead><tr><th scope="col">When (UTC)</th><th scope="col">Message</th><th scope="col">To</th><th scope="col">Outcome</th></tr></thead><tbody>
${recent.map((a) => html`<tr><td>${formatTime(a.at, "UTC")}</td><td dir="auto">${safeLink(a.link, a.about)}</td><td>${who(a.subscriberId, a.channel)}</td><td>${outcomeBadge(a.outcome)} <span class="hint">${a.detail}</span></td></tr>`)}
</tbody></table>`
}</section>`,
    );
  });

  app.post<{ Params: { id: string }; Body: { _csrf?: string } }>(
    "/admin/deliveries/:id/retry",
    async (req, reply) => {
      const s = requireAdmin(deps, req, reply);
      if (!s) return reply;
      if (!deps.auth.allowsForm(req, req.body?._csrf))
        return reply.code(403).send("The form expired: reload the page.");
      const job = await ctx.queues.findDelivery(req.params.id);
      const retried = job !== undefined && (await job.isFailed());
      if (retried) await job.retry();
      ctx.log.info({ deliveryId: req.params.id, retried }, "delivery retry from the activity page");
      return seeOther(reply, `/admin/activity?retried=${retried ? 1 : 0}`);
    },
  );
}
