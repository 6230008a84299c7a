import { createHmac } from "node:crypto";

const PREFIX = "whsec_";

/** Raised for a webhook secret that is not `whsec_` followed by base64: a config mistake, never retried. */
export class WebhookSecretError extends Error {
  constructor(problem: string) {
    super(
      `webhook secret ${problem} (expected whsec_ followed by base64, e.g. whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw)`,
    );
    this.name = "WebhookSecretError";
  }
}

/** The HMAC key a Standard Webhooks secret stands for: the base64 part after `whsec_`. */
export function webhookSecretKey(secret: string): Buffer {
  const encoded = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new WebhookSecretError("is not base64");
  // Standard Webhooks recommends 24 to 64 random bytes; shorter keys are the operator's choice
  // (the config check is the place to warn), refusing them here would fail every delivery.
  return Buffer.from(encoded, "base64");
}

/**
 * The three Standard Webhooks headers for one attempt. The id stays the same on every attempt
 * (receivers dedupe on it); the timestamp is the attempt's own, because receivers refuse
 * signatures older than a few minutes and a retry hours later must still verify.
 */
export function signWebhook(
  key: Buffer,
  id: string,
  body: string,
  now: Date = new Date(),
): { "webhook-id": string; "webhook-timestamp": string; "webhook-signature": string } {
  const timestamp = Math.floor(now.getTime() / 1000).toString();
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return {
    "webhook-id": id,
    "webhook-timestamp": timestamp,
    "webhook-signature": `v1,${signature}`,
  };
}
