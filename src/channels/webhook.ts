import { z } from "zod";
import { httpUrl } from "../config/fields.ts";
import type { Outgoing } from "../model/outgoing.ts";
import { messageId } from "../model/outgoing.ts";
import { refusedUrlReason } from "../net/guarded-lookup.ts";
import { parseRetryAfter } from "../net/retry-after.ts";
import type { Channel, DeliveryReceipt, SendContext } from "./channel.ts";
import { DeliveryError } from "./delivery-error.ts";
import { createPoster, type PostResult } from "./http-post.ts";
import { headerSafe } from "./message-view.ts";
import { defineChannel, type TargetProblem } from "./module.ts";
import { jsonPayload } from "./webhook-json.ts";
import { presetOf, presetRequest, WEBHOOK_FORMATS } from "./webhook-presets.ts";
import { signWebhook, webhookSecretKey } from "./webhook-signature.ts";

/** A subscriber's (or the admin's) `webhook:` setting. */
export const webhookTarget = z.strictObject({
  url: httpUrl,
  /** Standard Webhooks secret (`whsec_...`); signs `json` bodies. */
  secret: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/=]+$/, 'must be a Standard Webhooks secret: "whsec_" then base64')
    .optional(),
  format: z.enum(WEBHOOK_FORMATS).default("json"),
});

export type WebhookTarget = z.output<typeof webhookTarget>;

export interface WebhookChannelOptions {
  /** Let webhooks reach loopback and private addresses (development, intranet receivers). */
  allowPrivateNetworks: boolean;
  userAgent: string;
  /** Deadline for one attempt: connect, send, and the response. @defaultValue 10000 */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

function statusText(result: PostResult): string {
  // One line, and short: it ends up in logs and in `newswatch deliveries`.
  const text = headerSafe(result.bodyStart).slice(0, 200);
  return text ? `HTTP ${result.status}: ${text}` : `HTTP ${result.status}`;
}

/** What the receiver's answer means for this delivery (the mapping the queue relies on). */
export function outcomeOf(result: PostResult, url: string): DeliveryReceipt {
  const { status } = result;
  if (status >= 200 && status < 300) return { channel: "webhook", detail: `HTTP ${status}` };
  if (status >= 300 && status < 400) {
    const location = result.headers.location ? ` to ${result.headers.location}` : "";
    throw new DeliveryError(
      `${url} answered a redirect${location} (HTTP ${status}); webhooks never follow redirects, update the URL`,
      {
        permanent: true,
      },
    );
  }
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(result.headers["retry-after"]);
    throw new DeliveryError(`${url} answered ${statusText(result)}, will retry`, {
      permanent: false,
      retryAfterMs,
      whenExhausted: "disable",
    });
  }
  if (status === 410) {
    throw new DeliveryError(
      `${url} answered 410 Gone: the endpoint is disabled until the subscriber updates it`,
      {
        permanent: true,
        targetAction: "disable",
      },
    );
  }
  if (status >= 400)
    throw new DeliveryError(`${url} refused the delivery: ${statusText(result)}`, {
      permanent: true,
    });
  throw new DeliveryError(`${url} answered an unexpected ${statusText(result)}, will retry`, {
    permanent: false,
    whenExhausted: "disable",
  });
}

function networkFailure(err: unknown, url: string): DeliveryError {
  const e = err as NodeJS.ErrnoException;
  if (e.code === "EREFUSEDURL" || e.code === "EBLOCKEDADDRESS") {
    return new DeliveryError(`webhook ${url} refused: ${e.message}`, {
      permanent: true,
      cause: err,
    });
  }
  const code = e.code ? `${e.code}: ` : "";
  return new DeliveryError(`webhook ${url} failed (${code}${e.message}), will retry`, {
    permanent: false,
    whenExhausted: "disable",
    cause: err,
  });
}

/**
 * Webhooks: a signed Standard Webhooks `json` body, or the body shape of Slack, Discord or
 * ntfy. One POST per attempt; 2xx is success, and everything else becomes a DeliveryError
 * that tells the queue whether to retry (408, 429, 5xx, network), stop (other 4xx, 3xx) or
 * also disable the endpoint (410).
 */
export function createWebhookChannel(opts: WebhookChannelOptions): Channel<WebhookTarget> {
  const poster = createPoster(opts.allowPrivateNetworks);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  function request(message: Outgoing, target: WebhookTarget, ctx: SendContext) {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "user-agent": opts.userAgent,
    };
    if (target.format !== "json") {
      return { ...presetRequest(target.format, target.url, message, ctx), headers };
    }
    const id = messageId(message);
    const body = JSON.stringify(jsonPayload(message));
    if (target.secret)
      Object.assign(headers, signWebhook(webhookSecretKey(target.secret), id, body));
    else headers["webhook-id"] = id;
    return { url: target.url, body, headers };
  }

  return {
    kind: "webhook",
    async send(message, target, ctx) {
      let req: { url: string; body: string; headers: Record<string, string> };
      try {
        req = request(message, target, ctx);
      } catch (err) {
        // A bad secret or ntfy URL is configuration: retrying the same request cannot help.
        const why = err instanceof Error ? err.message : String(err);
        throw new DeliveryError(`webhook ${target.url}: ${why}`, { permanent: true, cause: err });
      }
      let result: PostResult;
      try {
        result = await poster.post(req.url, req.headers, req.body, {
          timeoutMs,
          signal: ctx.signal,
        });
      } catch (err) {
        throw networkFailure(err, req.url);
      }
      return outcomeOf(result, req.url);
    },
    async close() {
      poster.close();
    },
  };
}

/**
 * A literal private address can be refused at `check` time (names are checked when they
 * resolve), and a preset can refuse a URL its service cannot use (an ntfy URL without a topic).
 */
function checkWebhook(target: WebhookTarget, policy: { allowPrivateNetworks: boolean }) {
  const problems: TargetProblem[] = [];
  const refused = refusedUrlReason(new URL(target.url), policy.allowPrivateNetworks);
  if (refused) problems.push({ path: ["url"], message: refused });
  const presetProblem =
    target.format === "json" ? null : presetOf(target.format).urlProblem?.(target.url);
  if (presetProblem) problems.push({ path: ["url"], message: presetProblem });
  return problems;
}

export const webhookChannel = defineChannel({
  kind: "webhook",
  noun: "a webhook",
  field: webhookTarget,
  admin: {
    field: webhookTarget.optional(),
    targetsOf: (target?: WebhookTarget) => (target ? [{ target, key: "hook" }] : []),
  },
  queue: "deliver",
  offLabel: "disabled",
  targetsOf: (target) => [target],
  check: checkWebhook,
  describe: (target) => `webhook ${new URL(target.url).host}`,
  summary: (target) => ({ url: target.url, format: target.format }),
  create: (env) =>
    createWebhookChannel({
      allowPrivateNetworks: env.settings.security.allowPrivateNetworks,
      userAgent: env.userAgent,
    }),
});
