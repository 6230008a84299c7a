import { createHmac, timingSafeEqual } from "node:crypto";

// W3C WebSub §8: X-Hub-Signature is "method=signature", an HMAC of the raw body keyed with
// the subscriber's hub.secret. sha1 is what older (PubSubHubbub 0.4) hubs send.
const METHODS = new Set(["sha1", "sha256", "sha384", "sha512"]);

/** Whether a pushed body carries a valid signature for `secret`; any doubt is a no. */
export function validHubSignature(
  body: Buffer,
  header: string | undefined,
  secret: string,
): boolean {
  const match = /^\s*(sha1|sha256|sha384|sha512)=([0-9a-fA-F]+)\s*$/.exec(header ?? "");
  if (!match?.[1] || !match[2] || !METHODS.has(match[1])) return false;
  const expected = createHmac(match[1], secret).update(body).digest();
  const given = Buffer.from(match[2], "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The header a hub sends for `body` (for the tests' hub and the push benchmark). */
export function hubSignature(body: Buffer | string, secret: string, method = "sha256"): string {
  return `${method}=${createHmac(method, secret).update(body).digest("hex")}`;
}
