import { createHmac, timingSafeEqual } from "node:crypto";
import type {} from "@fastify/cookie";
import type { FastifyReply, FastifyRequest } from "fastify";

export const SESSION_COOKIE = "nw_admin";
/** Admin sessions last a working day; signing in again is one paste of the token. */
const SESSION_MS = 12 * 3_600_000;

function mac(secret: string, text: string): string {
  return createHmac("sha256", secret).update(text).digest("base64url");
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Admin sign-in without server-side session state: the cookie is `<expiry>.<HMAC>` keyed
 * by the link secret and the admin token, so changing the admin token signs everyone out.
 * The CSRF token is an HMAC of the session cookie: a page can embed it, another origin
 * cannot compute it, and it dies with the session.
 */
export class AdminAuth {
  constructor(
    private readonly secret: string,
    private readonly adminToken: string | undefined,
    private readonly secureCookies: boolean,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.adminToken !== undefined;
  }

  /** True when `given` is the configured admin token (constant time). */
  tokenMatches(given: string): boolean {
    return (
      this.adminToken !== undefined &&
      same(mac(this.secret, given), mac(this.secret, this.adminToken))
    );
  }

  private sessionMac(expiry: number): string {
    return mac(this.secret, `admin-session|${expiry}|${mac(this.secret, this.adminToken ?? "")}`);
  }

  newSession(): string {
    const expiry = this.now() + SESSION_MS;
    return `${expiry}.${this.sessionMac(expiry)}`;
  }

  sessionValid(cookie: string | undefined): boolean {
    if (!this.enabled || !cookie) return false;
    const [expiryText, given] = cookie.split(".");
    const expiry = Number(expiryText);
    if (!given || !Number.isSafeInteger(expiry) || expiry < this.now()) return false;
    return same(given, this.sessionMac(expiry));
  }

  csrfFor(session: string): string {
    return mac(this.secret, `csrf|${session}`);
  }

  sessionOf(req: FastifyRequest): string | undefined {
    const cookie = req.cookies[SESSION_COOKIE];
    return this.sessionValid(cookie) ? cookie : undefined;
  }

  /** A bearer token (API clients) or a session with its CSRF token (the admin pages' scripts). */
  allowsApi(req: FastifyRequest): boolean {
    const auth = req.headers.authorization ?? "";
    if (auth.startsWith("Bearer ")) return this.tokenMatches(auth.slice(7).trim());
    const session = this.sessionOf(req);
    const csrf = req.headers["x-csrf-token"];
    return session !== undefined && typeof csrf === "string" && same(csrf, this.csrfFor(session));
  }

  /** For form posts from the admin pages: a session and the form's CSRF field. */
  allowsForm(req: FastifyRequest, csrfField: unknown): boolean {
    const session = this.sessionOf(req);
    return (
      session !== undefined &&
      typeof csrfField === "string" &&
      same(csrfField, this.csrfFor(session))
    );
  }

  setSession(reply: FastifyReply, session: string): void {
    reply.setCookie(SESSION_COOKIE, session, {
      path: "/",
      httpOnly: true,
      sameSite: "strict",
      secure: this.secureCookies,
      maxAge: SESSION_MS / 1000,
    });
  }

  clearSession(reply: FastifyReply): void {
    reply.clearCookie(SESSION_COOKIE, { path: "/" });
  }
}
