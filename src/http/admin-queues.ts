import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Queues } from "../queue/queues.ts";
import { esc } from "./html.ts";

export const ADMIN_QUEUES_PATH = "/admin/queues";

/** Our script that adds the CSRF header to bull-board's own requests; served from our scope. */
const CSRF_SCRIPT_PATH = `${ADMIN_QUEUES_PATH}/newswatch-csrf.js`;

/**
 * bull-board's UI is a bundle of files under /admin/queues/static: it needs its own scripts,
 * styles and images, its JSON API, and the `<base href>` it writes. Nothing from elsewhere.
 * Unlike our pages it also needs inline styles (its loading screen and the style attributes
 * its components set); scripts stay limited to the files this origin serves.
 */
export const QUEUES_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'";

/**
 * bull-board's requests go through axios (XMLHttpRequest). The session cookie alone must not
 * change jobs, so every same-origin request that is not a GET gets the page's CSRF token in the
 * `x-csrf-token` header, as the admin pages' own scripts send it.
 */
const CSRF_SCRIPT = `(() => {
  const token = () =>
    document.querySelector('meta[name="csrf-token"]')?.getAttribute("content") ?? "";
  const sameOrigin = (url) => new URL(url, document.baseURI).origin === location.origin;
  const open = XMLHttpRequest.prototype.open;
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.newswatchCsrf = !/^(GET|HEAD)$/i.test(method) && sameOrigin(String(url));
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (body) {
    if (this.newswatchCsrf) this.setRequestHeader("x-csrf-token", token());
    return send.call(this, body);
  };
})();
`;

/** True when the request carries `Authorization: Bearer <token>` with the admin token. */
export function hasAdminBearer(req: FastifyRequest, token: string): boolean {
  const header = req.headers.authorization ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1].trim());
  const wanted = Buffer.from(token);
  // Constant time, so the token cannot be guessed a byte at a time from response timings.
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** The admin pages' sign-in, as far as the dashboard needs it. */
export interface QueuesAuth {
  /** The signed-in admin's session (the cookie), if any. */
  sessionOf(req: FastifyRequest): string | undefined;
  csrfFor(session: string): string;
  /** A bearer token, or a session together with its `x-csrf-token` header. */
  allowsApi(req: FastifyRequest): boolean;
}

/**
 * The BullMQ dashboard (bull-board) at /admin/queues. It can retry, promote and delete jobs,
 * so it is mounted only when `http.adminToken` is set and answers 401 without it. A signed-in
 * admin (session cookie) may look; changing anything also takes the CSRF header, which the
 * dashboard page sends through our small script. Its HTML is served without the Google Fonts
 * link bull-board writes (no CDN) and with a Content-Security-Policy.
 */
export async function registerAdminQueues(
  app: FastifyInstance,
  opts: { queues: Queues; adminToken: string | undefined; auth?: QueuesAuth },
): Promise<void> {
  const token = opts.adminToken;
  if (!token) return;
  // Loaded only when mounted: bull-board and its UI bundle cost a daemon without an admin
  // token several MB for nothing.
  const [{ createBullBoard }, { BullMQAdapter }, { FastifyAdapter }] = await Promise.all([
    import("@bull-board/api"),
    import("@bull-board/api/bullMQAdapter"),
    import("@bull-board/fastify"),
  ]);
  const auth = opts.auth;
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(ADMIN_QUEUES_PATH);
  createBullBoard({
    queues: [opts.queues.poll, opts.queues.deliver, opts.queues.email, opts.queues.digest].map(
      (q) => new BullMQAdapter(q),
    ),
    // @bull-board/fastify pins its own copy of @bull-board/api: same shape, distinct types.
    serverAdapter: serverAdapter as unknown as Parameters<
      typeof createBullBoard
    >[0]["serverAdapter"],
  });
  await app.register(async (scope) => {
    scope.addHook("onRequest", async (req, reply) => {
      if (hasAdminBearer(req, token)) return;
      if (auth?.sessionOf(req) !== undefined) {
        if (req.method === "GET" || req.method === "HEAD" || auth.allowsApi(req)) return;
        return reply
          .code(403)
          .type("text/plain")
          .send("a signed-in session needs the x-csrf-token header to change jobs\n");
      }
      return reply
        .code(401)
        .header("www-authenticate", 'Bearer realm="newswatch admin"')
        .type("text/plain")
        .send("admin token required\n");
    });
    scope.addHook("onSend", async (req, reply, payload) => {
      reply.header("content-security-policy", QUEUES_CONTENT_SECURITY_POLICY);
      reply.header("x-content-type-options", "nosniff");
      reply.header("referrer-policy", "no-referrer");
      const type = String(reply.getHeader("content-type") ?? "");
      if (!type.startsWith("text/html") || typeof payload !== "string") return payload;
      reply.header("cache-control", "no-store");
      const session = auth?.sessionOf(req);
      const csrf = session
        ? `<meta name="csrf-token" content="${esc(auth?.csrfFor(session))}">\n<script src="${CSRF_SCRIPT_PATH}"></script>\n`
        : "";
      return payload
        .replace(/<link\b[^>]*fonts\.(googleapis|gstatic)\.com[^>]*>\s*/gi, "")
        .replace(/<head>/i, (head) => `${head}\n${csrf}`);
    });
    scope.get(CSRF_SCRIPT_PATH, async (_req, reply) =>
      reply
        .header("content-type", "text/javascript; charset=utf-8")
        .header("cache-control", "public, max-age=300")
        .send(CSRF_SCRIPT),
    );
    await scope.register(serverAdapter.registerPlugin(), { prefix: ADMIN_QUEUES_PATH });
  });
}
