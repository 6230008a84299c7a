import type { FastifyInstance, FastifyReply } from "fastify";
import { receivesDigests, type Subscriber } from "../../model/subscriber.ts";
import { nextDigestTime } from "../../scheduler/digest-times.ts";
import { signToken } from "../../subscriptions/tokens.ts";
import { checkSubscription, type FieldErrors } from "../../subscriptions/validate.ts";
import { html } from "../html.ts";
import { seeOther, sendPage } from "../reply.ts";
import { knownWatchlists, type WebDeps } from "../web-deps.ts";
import { invalidLink } from "./confirm.ts";
import { describeAttempts, formatTime, outcomeBadge, safeLink } from "./delivery-rows.ts";
import {
  errorSummary,
  type FormValues,
  formToInput,
  formValues,
  policyFields,
} from "./subscription-form.ts";

function valuesOf(sub: Subscriber): FormValues {
  const [quietFrom, quietTo] = (sub.quietHours ?? "-").split("-");
  return {
    email: sub.email,
    watchlists: sub.watchlists.map((w) => w.id),
    mode: sub.mode,
    schedule: sub.schedule,
    timezone: sub.timezone,
    quietFrom,
    quietTo,
  };
}

/**
 * The page behind the signed manage link in every email: no account, the link is the key.
 * Config-file subscribers can pause or leave here; their choices live in the file.
 */
export function registerManagePages(app: FastifyInstance, deps: WebDeps) {
  const { ctx } = deps;
  const idFrom = (token: unknown) => ctx.links.subscriberOf("manage", token);

  const render = async (
    reply: FastifyReply,
    token: string,
    sub: Subscriber,
    opts: { values?: FormValues; errors?: FieldErrors; notice?: string; status?: number },
  ) => {
    const errors = opts.errors ?? {};
    const { status } = await ctx.stores.statuses.get(sub.id);
    const watchlists = await knownWatchlists(deps);
    const titles = new Map(watchlists.map((w) => [w.id, w.title]));
    const attempts = await describeAttempts(
      await ctx.stores.deliveries.listAttempts({ subscriberId: sub.id, limit: 10 }),
      ctx.queues,
    );
    const next = receivesDigests(sub)
      ? formatTime(
          nextDigestTime(sub.schedule, sub.timezone, new Date(deps.now())).toISOString(),
          sub.timezone,
        )
      : null;
    const action = `/manage?token=${token}`;
    const unsubscribe = `/unsubscribe?token=${signToken(ctx.links.secret, "unsubscribe", sub.id)}`;
    const editable = sub.source === "api";
    return sendPage(
      reply,
      opts.status ?? 200,
      "Manage subscription",
      html`<h1>Your subscription</h1>
${opts.notice ? html`<p class="notice" role="status">${opts.notice}</p>` : ""}
<dl class="facts">
<dt>Address</dt><dd>${sub.email ?? "(webhook)"}</dd>
<dt>Status</dt><dd><span class="badge badge-${status}" id="status">${status}</span></dd>
<dt>Next digest</dt><dd id="next-digest">${next ? `${next} (${sub.timezone})` : "none: alerts are sent as they happen"}</dd>
</dl>
${
  editable
    ? html`${errorSummary(errors)}<form method="post" action="${action}" novalidate>
<input type="hidden" name="action" value="save">
${policyFields(watchlists, opts.values ?? valuesOf(sub), errors)}
<button type="submit">Save changes</button>
</form>`
    : html`<p>Watching: ${sub.watchlists.map((w, i) => html`${i > 0 ? ", " : ""}<strong>${titles.get(w.id) ?? w.id}</strong> (${w.mode})`)}. These choices are set by the administrator.</p>`
}
<section class="actions">
<h2>Pause or leave</h2>
${
  status === "paused"
    ? html`<form method="post" action="${action}"><input type="hidden" name="action" value="resume"><button type="submit">Resume alerts</button></form>`
    : status === "active"
      ? html`<form method="post" action="${action}"><input type="hidden" name="action" value="pause"><button type="submit" class="secondary">Pause alerts</button></form>`
      : ""
}
${
  status === "unsubscribed"
    ? html`<p>You are unsubscribed. <a href="/subscribe">Subscribe again</a>.</p>`
    : html`<form method="post" action="${unsubscribe}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit" class="danger">Unsubscribe</button></form>`
}
</section>
<section>
<h2>Last messages sent to you</h2>
${
  attempts.length === 0
    ? html`<p>None yet.</p>`
    : html`<table class="rows"><thead><tr><th scope="col">When</th><th scope="col">Message</th><th scope="col">Outcome</th></tr></thead><tbody>
${attempts.map((a) => html`<tr><td>${formatTime(a.at, sub.timezone)}</td><td dir="auto">${safeLink(a.link, a.about)}</td><td>${outcomeBadge(a.outcome)}</td></tr>`)}
</tbody></table>`
}
</section>
<script src="/assets/timezone.js"></script>`,
    );
  };

  app.get<{ Querystring: { token?: string; saved?: string } }>("/manage", async (req, reply) => {
    const id = idFrom(req.query.token);
    if (!id) return sendPage(reply, 400, "Link not valid", invalidLink);
    const sub = await deps.ctx.findSubscriber(id);
    if (!sub)
      return sendPage(
        reply,
        404,
        "Not found",
        html`<h1>This subscription no longer exists</h1><p><a href="/subscribe">Subscribe again</a>.</p>`,
      );
    const notices: Record<string, string> = {
      saved: "Your changes are saved.",
      paused: "Alerts are paused. Nothing is sent until you resume.",
      resumed: "Alerts are on again.",
    };
    return render(reply, req.query.token as string, sub, {
      notice: notices[req.query.saved ?? ""],
    });
  });

  app.post<{ Querystring: { token?: string }; Body: Record<string, unknown> }>(
    "/manage",
    async (req, reply) => {
      const token = req.query.token as string;
      const id = idFrom(token);
      if (!id) return sendPage(reply, 400, "Link not valid", invalidLink);
      const sub = await deps.ctx.findSubscriber(id);
      if (!sub)
        return sendPage(reply, 404, "Not found", html`<h1>This subscription no longer exists</h1>`);
      const body = req.body ?? {};
      const back = (what: string) =>
        seeOther(reply, `/manage?token=${encodeURIComponent(token)}&saved=${what}`);
      const { status } = await ctx.stores.statuses.get(id);
      if (body.action === "pause") {
        if (status === "active")
          await ctx.stores.statuses.set(id, "paused", "paused from the manage page");
        return back("paused");
      }
      if (body.action === "resume") {
        if (status === "paused")
          await ctx.stores.statuses.set(id, "active", "resumed from the manage page");
        return back("resumed");
      }
      if (sub.source !== "api")
        return render(reply, token, sub, {
          status: 403,
          notice: "These choices are set by the administrator.",
        });
      const known = new Set((await knownWatchlists(deps)).map((w) => w.id));
      const check = checkSubscription({ ...formToInput(body), email: sub.email }, known);
      if (!check.ok)
        return render(reply, token, sub, {
          status: 422,
          values: { ...formValues(body), email: sub.email },
          errors: check.errors,
        });
      const { email: _email, ...policy } = check.value;
      await deps.subscriptions.update(id, policy);
      ctx.log.info({ subscriberId: id }, "subscription changed from the manage page");
      return back("saved");
    },
  );
}
