import { Webhook } from "standardwebhooks";
import { describe, expect, test } from "vitest";
import { DeliveryError } from "../../../src/channels/delivery-error.ts";
import { outcomeOf } from "../../../src/channels/webhook.ts";
import { ntfyEndpoint } from "../../../src/channels/webhook-presets.ts";
import { signWebhook, webhookSecretKey } from "../../../src/channels/webhook-signature.ts";
import { parseRetryAfter } from "../../../src/net/retry-after.ts";

const URL_ = "https://hooks.example.org/x";

function outcome(status: number, headers: Record<string, string> = {}) {
  try {
    return outcomeOf({ status, headers, bodyStart: "" }, URL_);
  } catch (err) {
    if (err instanceof DeliveryError) return err;
    throw err;
  }
}

describe("Retry-After", () => {
  const now = Date.parse("2026-11-26T12:00:00Z");

  test("is read as seconds or as an HTTP date", () => {
    expect(parseRetryAfter("30", now)).toBe(30_000);
    expect(parseRetryAfter("Thu, 26 Nov 2026 12:02:00 GMT", now)).toBe(120_000);
  });

  test("a date in the past means no wait, and nonsense is ignored", () => {
    expect(parseRetryAfter("Thu, 26 Nov 2026 11:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
  });

  test("cannot park a delivery for longer than a day", () => {
    expect(parseRetryAfter(String(365 * 24 * 3600), now)).toBe(24 * 3600 * 1000);
  });
});

describe("receiver status codes", () => {
  test("2xx is delivered, with the status as the receipt", () => {
    expect(outcome(200)).toEqual({ channel: "webhook", detail: "HTTP 200" });
    expect(outcome(202)).toEqual({ channel: "webhook", detail: "HTTP 202" });
  });

  test("408, 429 and 5xx are retried; other 4xx and 3xx are not", () => {
    const permanence = [301, 302, 307, 400, 401, 403, 404, 408, 410, 422, 429, 500, 502, 503].map(
      (s) => {
        const r = outcome(s);
        return [s, r instanceof DeliveryError ? r.permanent : "ok"];
      },
    );
    expect(Object.fromEntries(permanence)).toEqual({
      301: true,
      302: true,
      307: true,
      400: true,
      401: true,
      403: true,
      404: true,
      408: false,
      410: true,
      422: true,
      429: false,
      500: false,
      502: false,
      503: false,
    });
  });

  test("only 410 disables the endpoint", () => {
    expect((outcome(410) as DeliveryError).targetAction).toBe("disable");
    expect((outcome(404) as DeliveryError).targetAction).toBeUndefined();
  });
});

describe("Standard Webhooks signature", () => {
  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  test("verifies with the reference implementation", () => {
    const body = JSON.stringify({ type: "alert", id: "a1" });
    const headers = signWebhook(webhookSecretKey(secret), "a1", body);
    expect(new Webhook(secret).verify(body, headers)).toEqual({ type: "alert", id: "a1" });
  });

  test("a signature made for one id does not verify for another", () => {
    const body = "{}";
    const headers = signWebhook(webhookSecretKey(secret), "a1", body);
    expect(() => new Webhook(secret).verify(body, { ...headers, "webhook-id": "a2" })).toThrow();
  });

  test("a secret that is not base64 is refused with an example of one that is", () => {
    expect(() => webhookSecretKey("whsec_hello world")).toThrow(/not base64.*whsec_/);
    expect(() => webhookSecretKey("whsec_")).toThrow(/not base64/);
  });

  test("the key is the base64 part after whsec_, with or without the prefix", () => {
    expect(webhookSecretKey("whsec_c2hvcnQ=").toString()).toBe("short");
    expect(webhookSecretKey("c2hvcnQ=").toString()).toBe("short");
  });
});

describe("ntfy topic URLs", () => {
  test("split into the server to publish to and the topic", () => {
    expect(ntfyEndpoint("https://ntfy.sh/newswatch-ops")).toEqual({
      url: "https://ntfy.sh/",
      topic: "newswatch-ops",
    });
    expect(ntfyEndpoint("https://push.example.org/ntfy/ops?auth=abc")).toEqual({
      url: "https://push.example.org/ntfy/?auth=abc",
      topic: "ops",
    });
  });

  test("a URL without a topic is refused", () => {
    expect(() => ntfyEndpoint("https://ntfy.sh/")).toThrow(/no topic/);
  });
});
