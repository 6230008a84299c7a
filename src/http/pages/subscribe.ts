import type { FastifyInstance } from "fastify";
import { subscribe } from "../../subscriptions/subscribe.ts";
import { checkSubscription, type FieldErrors } from "../../subscriptions/validate.ts";
import { html } from "../html.ts";
import { seeOther, sendPage } from "../reply.ts";
import { knownWatchlists, subscribeDeps, type WebDeps } from "../web-deps.ts";
import {
  errorSummary,
  type FormValues,
  formToInput,
  formValues,
  policyFields,
} from "./subscription-form.ts";

/** How many sign-ups one client address may make; also applied to POST /api/subscriptions. */
export interface SubscribeLimit {
  max: number;
  timeWindowMs: number;
}

/** Subscribe (public, works without JavaScript) and "check your inbox". */
export function registerSubscribePages(app: FastifyInstance, deps: WebDeps, limit: SubscribeLimit) {
  const render = async (values: FormValues, errors: FieldErrors) => {
    const watchlists = await knownWatchlists(deps);
    return html`<h1>Subscribe to alerts</h1>
<p class="lead">Choose what to watch and how often. We send one email to confirm your address; nothing else until you confirm.</p>
${errorSummary(errors)}
<form method="post" action="/subscribe" novalidate>
${policyFields(watchlists, values, errors)}
<div class="field">
<label for="email">Email address</label>
<input id="email" name="email" type="email" autocomplete="email" required value="${values.email ?? ""}"${
      errors.email ? html` aria-invalid="true" aria-describedby="email-error"` : ""
    }>
${errors.email ? html`<p class="field-error" id="email-error">${errors.email}</p>` : ""}
</div>
<button type="submit">Subscribe</button>
</form>
<script src="/assets/timezone.js"></script>`;
  };

  app.get("/", async (_req, reply) => seeOther(reply, "/subscribe"));

  app.get("/subscribe", async (_req, reply) =>
    sendPage(
      reply,
      200,
      "Subscribe",
      await render(
        {
          watchlists: [],
          mode: "immediate",
          schedule: "0 7 * * *",
          timezone: "UTC",
          browserTimezone: true,
        },
        {},
      ),
    ),
  );

  app.post<{ Body: Record<string, unknown> }>(
    "/subscribe",
    { config: { rateLimit: { max: limit.max, timeWindow: limit.timeWindowMs } } },
    async (req, reply) => {
      const body = req.body ?? {};
      const known = new Set((await knownWatchlists(deps)).map((w) => w.id));
      const check = checkSubscription({ email: "", ...formToInput(body) }, known);
      if (!check.ok)
        return sendPage(reply, 422, "Subscribe", await render(formValues(body), check.errors));
      const { ctx } = deps;
      const result = await subscribe(check.value, subscribeDeps(deps));
      ctx.log.info(
        { subscriberId: result.subscriberId, outcome: result.outcome },
        "subscribe form",
      );
      return seeOther(reply, "/subscribe/check-inbox");
    },
  );

  app.get("/subscribe/check-inbox", async (_req, reply) =>
    sendPage(
      reply,
      200,
      "Check your inbox",
      html`<h1>Check your inbox</h1>
<p class="lead">If the address can receive mail, a message with a confirmation link is on its way.</p>
<p>Open it and press <strong>Confirm subscription</strong>. Until then, nothing else is sent. The message may take a minute; look in the spam folder if it does not arrive.</p>`,
    ),
  );
}
