import type { FastifyInstance } from "fastify";
import { html } from "../html.ts";
import { seeOther, sendPage } from "../reply.ts";
import type { WebDeps } from "../web-deps.ts";

/** Sign-in with the admin token; a wrong token costs a rate-limit slot. */
export function registerAdminSignIn(app: FastifyInstance, deps: WebDeps) {
  const form = (error?: string) => html`<h1>Admin sign-in</h1>
<form method="post" action="/admin/sign-in" class="narrow">
<div class="field">
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required${
    error ? html` aria-invalid="true" aria-describedby="token-error"` : ""
  }>
${error ? html`<p class="field-error" id="token-error">${error}</p>` : ""}
<p class="hint">The <code>http.adminToken</code> value from the config file.</p>
</div>
<button type="submit">Sign in</button>
</form>`;

  app.get("/admin", async (req, reply) => {
    if (!deps.auth.enabled)
      return sendPage(
        reply,
        404,
        "Admin off",
        html`<h1>The admin pages are off</h1><p>Set <code>http.adminToken</code> in the config file to turn them on.</p>`,
      );
    if (deps.auth.sessionOf(req)) return seeOther(reply, "/admin/sources");
    return sendPage(reply, 200, "Admin sign-in", form());
  });

  app.post<{ Body: { token?: string } }>(
    "/admin/sign-in",
    { config: { rateLimit: { max: 10, timeWindow: 60_000 } } },
    async (req, reply) => {
      const token = typeof req.body?.token === "string" ? req.body.token : "";
      if (!deps.auth.tokenMatches(token)) {
        deps.ctx.log.warn({ ip: req.ip }, "admin sign-in refused");
        return sendPage(reply, 401, "Admin sign-in", form("That is not the admin token."));
      }
      deps.auth.setSession(reply, deps.auth.newSession());
      return seeOther(reply, "/admin/sources");
    },
  );

  app.post<{ Body: { _csrf?: string } }>("/admin/sign-out", async (req, reply) => {
    if (deps.auth.allowsForm(req, req.body?._csrf)) deps.auth.clearSession(reply);
    return seeOther(reply, "/admin");
  });
}
