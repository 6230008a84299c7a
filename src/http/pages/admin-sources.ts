import type { FastifyInstance } from "fastify";
import { feedHealth, HEALTH_ORDER } from "../../pipeline/feed-health.ts";
import { FeedDailyCounts } from "../../store/feed-daily.ts";
import { appearedAt, RECENT_WINDOW_MS } from "../../store/recent-items.ts";
import { dayOf, lastDays } from "../../subscriptions/preview.ts";
import { barChart } from "../chart.ts";
import { html } from "../html.ts";
import type { WebDeps } from "../web-deps.ts";
import { requireAdmin, sendAdminPage } from "./admin-shell.ts";
import { formatTime } from "./delivery-rows.ts";

const when = (ms: number | null) => (ms ? formatTime(new Date(ms).toISOString(), "UTC") : "never");

/** Every feed with its health, failing and silent ones first, and 30 days of new items. */
export function registerSourcesPage(app: FastifyInstance, deps: WebDeps) {
  const { ctx } = deps;
  const daily = new FeedDailyCounts(ctx.redis, ctx.keys);

  app.get("/admin/sources", async (req, reply) => {
    const s = requireAdmin(deps, req, reply);
    if (!s) return reply;
    const now = deps.now();
    const feeds = ctx.snapshot().config.feeds;
    const ids = feeds.map((f) => f.id);
    const [states, counts, recent] = await Promise.all([
      ctx.stores.feedStates.getMany(ids),
      daily.readMany(ids),
      ctx.stores.recent.list(now - RECENT_WINDOW_MS),
    ]);
    // Until the poller has counted a feed's days, its last 7 days come from the recent items.
    const recentCounts = new Map<string, Map<string, number>>();
    for (const r of recent) {
      const perDay = recentCounts.get(r.feed.id) ?? new Map<string, number>();
      const day = dayOf(appearedAt(r));
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
      recentCounts.set(r.feed.id, perDay);
    }
    const days = lastDays(now, 30);
    const rows = feeds
      .map((feed) => {
        const state = states.get(feed.id);
        if (!state) throw new Error(`no state for ${feed.id}`);
        const counted = counts.get(feed.id);
        const source = counted && counted.size > 0 ? counted : recentCounts.get(feed.id);
        const bars = days.map((day) => ({ label: day, value: source?.get(day) ?? 0 }));
        return {
          feed,
          state,
          health: feed.enabled ? feedHealth(state, 1, now) : ("disabled" as const),
          bars,
        };
      })
      .sort(
        (a, b) =>
          HEALTH_ORDER[a.health] - HEALTH_ORDER[b.health] || a.feed.id.localeCompare(b.feed.id),
      );
    const tally = (h: string) => rows.filter((r) => r.health === h).length;
    return sendAdminPage(
      reply,
      s,
      "/admin/sources",
      "Sources",
      html`<h1>Sources</h1>
<p class="lead">${rows.length} feeds: ${tally("failing")} failing, ${tally("silent")} silent, ${tally("held") > 0 ? `${tally("held")} held by their publisher's Retry-After, ` : ""}${tally("ok")} ok, ${tally("disabled")} disabled.</p>
<ul class="cards" id="sources">
${rows.map(
  ({ feed, state, health, bars }) => html`<li class="card health-${health}" data-feed="${feed.id}">
<div class="card-head"><span class="badge badge-${health}">${health}</span> <strong dir="auto">${feed.title ?? feed.id}</strong> <code>${feed.id}</code></div>
<p class="url">${state.url ?? feed.url}</p>
<dl class="facts">
<dt>Last success (UTC)</dt><dd>${when(state.lastSuccessAt)}</dd>
<dt>Next poll</dt><dd>${health === "disabled" ? "not polled" : when(state.nextPollAt)}</dd>
${state.consecutiveErrors > 0 ? html`<dt>Error</dt><dd><span class="badge badge-failed">${state.errorCategory ?? "error"}</span> ${state.lastError ?? ""} <span class="hint">(${state.consecutiveErrors} in a row)</span></dd>` : ""}
${state.disabled ? html`<dt>Disabled</dt><dd>${state.disabled}</dd>` : ""}
<dt>New items, 30 days</dt><dd>${bars.reduce((n, b) => n + b.value, 0)}</dd>
</dl>
${barChart(bars, { title: `New items per day, last 30 days: ${feed.title ?? feed.id}`, height: 40 })}
</li>`,
)}
</ul>`,
    );
  });
}
