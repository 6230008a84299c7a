import type { FastifyInstance } from "fastify";
import { html } from "./html.ts";
import type { HttpContext } from "./http-context.ts";
import { sendPage } from "./reply.ts";

/**
 * Unsubscribe per RFC 8058: mail clients POST `List-Unsubscribe=One-Click` to the URL from
 * the header and expect a 2xx with no redirect; the same POST twice is harmless. A GET (a
 * person clicking, or a mail scanner prefetching the link) only shows a confirmation form,
 * so link scanners cannot unsubscribe anyone.
 */
export function registerUnsubscribeRoutes(app: FastifyInstance, ctx: HttpContext): void {
  void app.register(async (scope) => unsubscribeRoutes(scope, ctx));
}

async function unsubscribeRoutes(app: FastifyInstance, ctx: HttpContext): Promise<void> {
  // The token in the URL is what authorises the POST, so the body is read (within the server's
  // body limit) and ignored whatever its type: RFC 8058's own example POSTs multipart/form-data,
  // and a mail client refused with 415 would leave the subscriber subscribed. Scoped to these
  // routes; the rest of the server keeps its parsers.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, _body, done) =>
    done(null, undefined),
  );

  const subscriberFor = (token: unknown) => ctx.links.subscriberOf("unsubscribe", token);

  app.get<{ Querystring: { token?: string } }>("/unsubscribe", async (req, reply) => {
    const subscriberId = subscriberFor(req.query.token);
    if (!subscriberId)
      return sendPage(
        reply,
        400,
        "Link not valid",
        html`<h1>This link is not valid</h1><p>It may be incomplete. Use the link from your most recent newswatch email.</p>`,
      );
    return sendPage(
      reply,
      200,
      "Unsubscribe",
      html`<h1>Unsubscribe from newswatch alerts?</h1>
<p>You will receive no more alerts or digests at this address.</p>
<form method="post" action="/unsubscribe?token=${req.query.token}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button>
</form>`,
    );
  });

  app.post<{ Querystring: { token?: string } }>("/unsubscribe", async (req, reply) => {
    const subscriberId = subscriberFor(req.query.token);
    if (!subscriberId)
      return reply.code(400).type("text/plain").send("This unsubscribe link is not valid.\n");
    const changed = await ctx.stores.statuses.set(
      subscriberId,
      "unsubscribed",
      "one-click unsubscribe",
    );
    ctx.log.info({ subscriberId, changed }, "unsubscribed");
    const accepts = req.headers.accept ?? "";
    if (accepts.includes("text/html")) {
      return sendPage(
        reply,
        200,
        "Unsubscribed",
        html`<h1>You are unsubscribed</h1><p>No more alerts will be sent to you.</p>`,
      );
    }
    return reply.code(200).type("text/plain").send("Unsubscribed.\n");
  });
}
