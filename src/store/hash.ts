import { createHash } from "node:crypto";

/** A short, Redis-key-safe digest of any text (item ids can be long URLs). */
export function shortHash(text: string, length = 22): string {
  return createHash("sha256").update(text).digest("base64url").slice(0, length);
}
