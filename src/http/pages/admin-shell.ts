import type { FastifyReply, FastifyRequest } from "fastify";
import { type Html, html } from "../html.ts";
import { seeOther, sendPage } from "../reply.ts";
import type { WebDeps } from "../web-deps.ts";

export interface AdminSession {
  session: string;
  csrf: string;
}

/** The signed-in admin's session and CSRF token, or a redirect to the sign-in page. */
export function requireAdmin(
  deps: WebDeps,
  req: FastifyRequest,
  reply: FastifyReply,
): AdminSession | null {
  const session = deps.auth.sessionOf(req);
  if (!session) {
    void seeOther(reply, "/admin");
    return null;
  }
  return { session, csrf: deps.auth.csrfFor(session) };
}

export function csrfField(s: AdminSession): Html {
  return html`<input type="hidden" name="_csrf" value="${s.csrf}">`;
}

const SECTIONS = [
  ["/admin/sources", "Sources"],
  ["/admin/watchlists", "Watchlists"],
  ["/admin/activity", "Activity"],
  ["/admin/queues", "Queues"],
] as const;

/** An admin page: navigation, the CSRF token for scripts (a meta tag), sign-out. */
export function sendAdminPage(
  reply: FastifyReply,
  s: AdminSession,
  current: string,
  title: string,
  body: Html,
  status = 200,
) {
  return sendPage(
    reply,
    status,
    title,
    html`<meta name="csrf-token" content="${s.csrf}">
<nav class="admin-nav" aria-label="Admin">
${SECTIONS.map(([href, label]) => html`<a href="${href}"${href === current ? html` aria-current="page"` : ""}>${label}</a>`)}
<form method="post" action="/admin/sign-out" class="sign-out">${csrfField(s)}<button type="submit" class="link">Sign out</button></form>
</nav>
${body}`,
  );
}
