import { z } from "zod";
import { httpUrl } from "../config/fields.ts";
import { messageId, type Outgoing } from "../model/outgoing.ts";
import { refusedUrlReason } from "../net/guarded-lookup.ts";
import { parseRetryAfter } from "../net/retry-after.ts";
import type { Channel, DeliveryReceipt, ThreadRefs } from "./channel.ts";
import { DeliveryError } from "./delivery-error.ts";
import { createPoster, type PostResult } from "./http-post.ts";
import { inThread, matrixContent } from "./matrix-content.ts";
import { headerSafe } from "./message-view.ts";
import { defineChannel } from "./module.ts";

/**
 * Matrix: one `m.room.message` per delivery into a room, through the homeserver's client-server
 * API (spec v1.x, "PUT /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}"). The bot
 * account must already be in the room; its access token is the subscriber's `accessToken`.
 */
export const matrixTarget = z.strictObject({
  /** Base URL of the bot account's homeserver, e.g. https://matrix.example.org. */
  homeserver: httpUrl,
  /** Room id (Room settings → Advanced in Element); an alias cannot be sent to. */
  room: z
    .string()
    .regex(/^![^\s/]+$/, 'must be a room id like "!AbCdEf:example.org" (not a #alias)'),
  accessToken: z.string().min(1, "must be the bot account's access token"),
});

export type MatrixTarget = z.output<typeof matrixTarget>;

const TIMEOUT_MS = 10_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The send URL; the transaction id makes a repeated PUT the same event (spec: "Transaction identifiers"). */
export function sendUrl(target: MatrixTarget, txnId: string): string {
  const base = target.homeserver.endsWith("/") ? target.homeserver : `${target.homeserver}/`;
  const path = `_matrix/client/v3/rooms/${encodeURIComponent(target.room)}/send/m.room.message/${encodeURIComponent(txnId)}`;
  return new URL(path, base).href;
}

function errorBody(result: PostResult): { errcode?: string; error?: string; retryMs?: number } {
  try {
    const body = JSON.parse(result.bodyStart) as Record<string, unknown>;
    const ms = body.retry_after_ms;
    return {
      errcode: typeof body.errcode === "string" ? body.errcode : undefined,
      error: typeof body.error === "string" ? body.error : undefined,
      retryMs: typeof ms === "number" && ms >= 0 ? Math.min(ms, DAY_MS) : undefined,
    };
  } catch {
    return {};
  }
}

/** What the homeserver's answer means for this delivery, with the new event's id when sent. */
export function matrixOutcome(
  result: PostResult,
  room: string,
): DeliveryReceipt & { eventId?: string } {
  const { status } = result;
  const body = errorBody(result);
  const why = headerSafe([body.errcode, body.error].filter(Boolean).join(": ")).slice(0, 200);
  const answered = `room ${room}: homeserver answered HTTP ${status}${why ? ` ${why}` : ""}`;
  if (status >= 200 && status < 300) {
    let eventId = "";
    try {
      eventId = String((JSON.parse(result.bodyStart) as { event_id?: unknown }).event_id ?? "");
    } catch {}
    return {
      channel: "matrix",
      detail: `HTTP ${status}${eventId ? ` ${eventId}` : ""}`,
      ...(eventId ? { eventId } : {}),
    };
  }
  if (status === 401 || status === 403 || status === 404) {
    // A wrong token, a bot that is not in the room, or no such room: retrying cannot help.
    throw new DeliveryError(`${answered}; check the access token and that the bot is in the room`, {
      permanent: true,
    });
  }
  if (status === 429 || status === 408 || status >= 500) {
    // retry_after_ms is the body field of M_LIMIT_EXCEEDED; newer servers send Retry-After.
    const retryAfterMs = body.retryMs ?? parseRetryAfter(result.headers["retry-after"]);
    throw new DeliveryError(`${answered}, will retry`, { permanent: false, retryAfterMs });
  }
  throw new DeliveryError(`${answered}`, { permanent: status >= 300 && status < 500 });
}

/**
 * The thread a message starts or joins in a room: an alert starts one under its own id, and
 * an update joins the one its story's first alert started for the same subscriber.
 */
export function threadKey(
  message: Outgoing,
  room: string,
): { key: string; starts: boolean } | null {
  if (message.kind === "alert") return { key: `${message.alert.id}|${room}`, starts: true };
  if (message.kind === "update") return { key: `${message.update.alertId}|${room}`, starts: false };
  return null;
}

export function createMatrixChannel(opts: {
  allowPrivateNetworks: boolean;
  userAgent: string;
  threads: ThreadRefs;
  timeoutMs?: number;
}): Channel<MatrixTarget> {
  const poster = createPoster(opts.allowPrivateNetworks);
  return {
    kind: "matrix",
    async send(message, target, ctx) {
      const thread = threadKey(message, target.room);
      // An update whose first alert has not reached the room (still being retried, or sent
      // before this was kept) goes as a message of its own: it says which story it follows.
      const root = thread && !thread.starts ? await opts.threads.lookup(thread.key) : null;
      const body = matrixContent(message, ctx);
      // The delivery id is the same on every attempt: a retry after a crash that followed an
      // accepted PUT repeats the transaction, and the homeserver answers with the first event.
      const url = sendUrl(target, ctx.deliveryId ?? messageId(message));
      const headers = {
        authorization: `Bearer ${target.accessToken}`,
        "content-type": "application/json",
        "user-agent": opts.userAgent,
      };
      let result: PostResult;
      try {
        result = await poster.post(
          url,
          headers,
          JSON.stringify(root ? inThread(body, root) : body),
          {
            timeoutMs: opts.timeoutMs ?? TIMEOUT_MS,
            signal: ctx.signal,
            method: "PUT",
          },
        );
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        const refused = e.code === "EREFUSEDURL" || e.code === "EBLOCKEDADDRESS";
        throw new DeliveryError(
          `matrix ${target.homeserver} ${refused ? "refused" : "failed"}: ${e.message}${refused ? "" : ", will retry"}`,
          { permanent: refused, cause: err },
        );
      }
      const { eventId, ...receipt } = matrixOutcome(result, target.room);
      // Kept after the PUT: if keeping it fails, the retry repeats the transaction and the
      // homeserver answers with the same event, so the room still gets one message.
      if (thread?.starts && eventId) await opts.threads.remember(thread.key, eventId);
      return receipt;
    },
    async close() {
      poster.close();
    },
  };
}

export const matrixChannel = defineChannel({
  kind: "matrix",
  noun: "a Matrix room",
  field: matrixTarget,
  admin: {
    field: matrixTarget.optional(),
    targetsOf: (target?: MatrixTarget) => (target ? [{ target, key: "room" }] : []),
  },
  queue: "deliver",
  offLabel: "disabled",
  targetsOf: (target) => [target],
  check: (target, policy) => {
    const refused = refusedUrlReason(new URL(target.homeserver), policy.allowPrivateNetworks);
    return refused ? [{ path: ["homeserver"], message: refused }] : [];
  },
  describe: (target) => `matrix ${target.room}`,
  // Never the access token: `subscribers --json` output ends up in tickets and chat.
  summary: (target) => ({ homeserver: target.homeserver, room: target.room }),
  create: (env) =>
    createMatrixChannel({
      allowPrivateNetworks: env.settings.security.allowPrivateNetworks,
      userAgent: env.userAgent,
      threads: env.threads,
    }),
});
