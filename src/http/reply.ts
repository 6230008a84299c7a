import type { FastifyReply } from "fastify";
import { CONTENT_SECURITY_POLICY, type Html, page } from "./html.ts";

/** Sends a server-rendered page with the CSP and no caching (pages can carry tokens). */
export function sendPage(reply: FastifyReply, status: number, title: string, body: Html) {
  return reply
    .code(status)
    .header("content-type", "text/html; charset=utf-8")
    .header("content-security-policy", CONTENT_SECURITY_POLICY)
    .header("cache-control", "no-store")
    .header("referrer-policy", "no-referrer")
    .header("x-content-type-options", "nosniff")
    .send(page(title, body));
}

/** A 303 after a form POST, so reloading the next page does not post again. */
export function seeOther(reply: FastifyReply, location: string) {
  return reply.code(303).header("location", location).send();
}
