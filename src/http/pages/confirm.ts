import type { FastifyInstance } from "fastify";
import { confirmSubscription } from "../../subscriptions/subscribe.ts";
import { signToken } from "../../subscriptions/tokens.ts";
import { html } from "../html.ts";
import { sendPage } from "../reply.ts";
import { subscribeDeps, type WebDeps } from "../web-deps.ts";

export const invalidLink = html`<h1>This link is not valid</h1><p>It may be incomplete. Use the link from your most recent newswatch email.</p>`;

/**
 * The double opt-in's second step. A GET only shows a button, because mail scanners open
 * links; only the POST (a person pressing it) confirms.
 */
export function registerConfirmPages(app: FastifyInstance, deps: WebDeps) {
  const idFrom = (token: unknown) => deps.ctx.links.subscriberOf("confirm", token);

  app.get<{ Querystring: { token?: string } }>("/confirm", async (req, reply) => {
    const id = idFrom(req.query.token);
    if (!id) return sendPage(reply, 400, "Link not valid", invalidLink);
    return sendPage(
      reply,
      200,
      "Confirm your subscription",
      html`<h1>Confirm your subscription</h1>
<p class="lead">Press the button to start receiving newswatch alerts at this address.</p>
<form method="post" action="/confirm?token=${req.query.token}">
<button type="submit">Confirm subscription</button>
</form>`,
    );
  });

  app.post<{ Querystring: { token?: string } }>("/confirm", async (req, reply) => {
    const id = idFrom(req.query.token);
    if (!id) return sendPage(reply, 400, "Link not valid", invalidLink);
    const sub = await deps.subscriptions.get(id);
    if (!sub)
      return sendPage(
        reply,
        404,
        "Subscription not found",
        html`<h1>This subscription no longer exists</h1><p>You can <a href="/subscribe">subscribe again</a>.</p>`,
      );
    const changed = await confirmSubscription(id, subscribeDeps(deps));
    const { status } = await deps.ctx.stores.statuses.get(id);
    deps.ctx.log.info({ subscriberId: id, changed, status }, "subscription confirmation");
    const manage = `/manage?token=${signToken(deps.ctx.links.secret, "manage", id)}`;
    if (status !== "active")
      return sendPage(
        reply,
        409,
        "Not confirmed",
        html`<h1>This subscription is ${status}</h1><p>It cannot be confirmed from this link. <a href="${manage}">Manage your subscription</a>.</p>`,
      );
    return sendPage(
      reply,
      200,
      "Subscribed",
      html`<h1>You are subscribed</h1>
<p class="lead">Alerts will arrive at ${sub.email}.</p>
<p><a href="${manage}">Manage your subscription</a> — every email also carries this link.</p>`,
    );
  });
}
