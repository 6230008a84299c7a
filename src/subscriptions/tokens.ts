import { createHmac, timingSafeEqual } from "node:crypto";

/** What a signed link lets its holder do; a token for one purpose is refused for another. */
export type TokenPurpose = "unsubscribe" | "manage" | "confirm";

/**
 * Unguessable, stateless link tokens: `<subscriber id>.<HMAC-SHA256(secret, purpose|id)>`.
 * Nothing to store or expire per message, and a leaked unsubscribe link cannot be turned
 * into a manage link.
 */
export function signToken(secret: string, purpose: TokenPurpose, subscriberId: string): string {
  return `${subscriberId}.${mac(secret, purpose, subscriberId)}`;
}

/** Returns the subscriber id the token was made for, or null when it is not genuine. */
export function verifyToken(secret: string, purpose: TokenPurpose, token: string): string | null {
  const dot = token.lastIndexOf(".");
  if (dot <= 0) return null;
  const subscriberId = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(secret, purpose, subscriberId));
  return given.length === expected.length && timingSafeEqual(given, expected) ? subscriberId : null;
}

function mac(secret: string, purpose: TokenPurpose, subscriberId: string): string {
  return createHmac("sha256", secret).update(`${purpose}|${subscriberId}`).digest("base64url");
}

/** Builds the links every message carries. */
export class LinkBuilder {
  constructor(
    private readonly publicUrl: string,
    readonly secret: string,
  ) {}

  unsubscribe(subscriberId: string): string {
    return this.url("/unsubscribe", signToken(this.secret, "unsubscribe", subscriberId));
  }

  manage(subscriberId: string): string {
    return this.url("/manage", signToken(this.secret, "manage", subscriberId));
  }

  confirm(subscriberId: string): string {
    return this.url("/confirm", signToken(this.secret, "confirm", subscriberId));
  }

  private url(path: string, token: string): string {
    const url = new URL(path, this.publicUrl);
    url.searchParams.set("token", token);
    return url.toString();
  }
}
