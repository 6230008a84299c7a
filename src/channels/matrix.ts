import { z } from "zod";
import { httpUrl } from "../config/fields.ts";
import { escapeHtml } from "../html-escape.ts";
import { messageId, type Outgoing, updateAsAlert } from "../model/outgoing.ts";
import { refusedUrlReason } from "../net/guarded-lookup.ts";
import { parseRetryAfter } from "../net/retry-after.ts";
import type { Channel, DeliveryReceipt, ThreadRefs } from "./channel.ts";
import { DeliveryError } from "./delivery-error.ts";
import { createPoster, type PostResult } from "./http-post.ts";
import {
  alertView,
  digestView,
  type EntryView,
  type FeedbackView,
  headerSafe,
  type LinksView,
  noticeView,
} from "./message-view.ts";
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
// Matrix caps an event at 65,536 bytes; a digest keeps well under it.
const DIGEST_ENTRIES_PER_SECTION = 20;
const DAY_MS = 24 * 60 * 60 * 1000;

interface MatrixContent {
  msgtype: "m.text" | "m.notice";
  body: string;
  format: "org.matrix.custom.html";
  formatted_body: string;
  "m.relates_to"?: ThreadRelation;
}

/** A reply in a thread (spec v1.4+, "Threading"), with the reply fallback older clients show. */
interface ThreadRelation {
  rel_type: "m.thread";
  event_id: string;
  is_falling_back: true;
  "m.in_reply_to": { event_id: string };
}

/** The content posted as a reply in the thread of the event `rootEventId`. */
export function inThread(content: MatrixContent, rootEventId: string): MatrixContent {
  return {
    ...content,
    "m.relates_to": {
      rel_type: "m.thread",
      event_id: rootEventId,
      is_falling_back: true,
      "m.in_reply_to": { event_id: rootEventId },
    },
  };
}

const link = (url: string | null, label: string) =>
  url ? `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>` : escapeHtml(label);

function footer(links: LinksView): { text: string[]; html: string[] } {
  if (!links.manageUrl) return { text: [], html: [] };
  return {
    text: [`Manage or unsubscribe: ${links.manageUrl}`],
    html: [`<p><sub>${link(links.manageUrl, "Manage or unsubscribe")}</sub></p>`],
  };
}

function feedbackLines(view: FeedbackView): { text: string; html: string } {
  if (!view.usefulUrl || !view.notRelevantUrl) return { text: "", html: "" };
  return {
    text: `Useful: ${view.usefulUrl}\nNot relevant: ${view.notRelevantUrl}`,
    html: `<p>Was this useful? ${link(view.usefulUrl, "Useful")} · ${link(view.notRelevantUrl, "Not relevant")}</p>`,
  };
}

function entryLines(entry: EntryView): { text: string; html: string } {
  const source = [entry.feedTitle, entry.published].filter(Boolean).join(" · ");
  return {
    text: [entry.title, entry.link, source].filter(Boolean).join("\n"),
    html: `${entry.link ? link(entry.link, entry.title) : `<strong>${escapeHtml(entry.title)}</strong>`}<br>${escapeHtml(source)}`,
  };
}

/** The plain `body` every client shows, and the HTML `formatted_body` rich clients prefer. */
export function matrixContent(message: Outgoing, ctx: Parameters<typeof alertView>[2]) {
  switch (message.kind) {
    case "alert": {
      const view = alertView(message.alert, message.note, ctx);
      const entry = entryLines(view);
      const snippetText = view.snippet.map((s) => (s.hit ? `«${s.text}»` : s.text)).join("");
      const snippetHtml = view.snippet
        .map((s) => (s.hit ? `<strong>${escapeHtml(s.text)}</strong>` : escapeHtml(s.text)))
        .join("");
      const also = view.alsoReportedBy.map((a) => a.feedTitle).join(", ");
      const end = footer(view);
      const vote = feedbackLines(view);
      return content(
        "m.text",
        [
          `[${view.watchlistTitle}] ${entry.text}`,
          snippetText,
          also && `Also reported by: ${also}`,
          view.note,
          vote.text,
          ...end.text,
        ],
        [
          `<p><strong>${escapeHtml(view.watchlistTitle)}</strong>: ${entry.html}</p>`,
          snippetHtml && `<blockquote>${snippetHtml}</blockquote>`,
          also && `<p>Also reported by: ${escapeHtml(also)}</p>`,
          view.note && `<p><em>${escapeHtml(view.note)}</em></p>`,
          vote.html,
          ...end.html,
        ],
      );
    }
    case "update":
      // Says what changed and who carried it; the channel puts it in the first alert's thread
      // when it knows that alert's event (see threadKey).
      return matrixContent(updateAsAlert(message.update), ctx);
    case "digest": {
      const view = digestView(message.digest, ctx);
      const text: string[] = [view.subject];
      const html: string[] = [`<h3>${escapeHtml(view.subject)}</h3>`];
      for (const section of view.sections) {
        const shown = section.entries.slice(0, DIGEST_ENTRIES_PER_SECTION).map(entryLines);
        const more = section.entries.length - shown.length;
        const heading = `${section.watchlistTitle} (${section.storyCount})`;
        text.push(heading, ...shown.map((e) => e.text), more > 0 ? `…and ${more} more` : "");
        html.push(
          `<h4>${escapeHtml(heading)}</h4>`,
          `<ul>${shown.map((e) => `<li>${e.html}</li>`).join("")}</ul>`,
          more > 0 ? `<p>…and ${more} more</p>` : "",
        );
      }
      const end = footer(view);
      return content("m.text", [...text, ...end.text], [...html, ...end.html]);
    }
    case "notice": {
      const view = noticeView(message.notice, ctx);
      const action = view.action;
      return content(
        "m.notice",
        [view.subject, ...view.paragraphs, action && `${action.label}: ${action.url}`],
        [
          `<p><strong>${escapeHtml(view.subject)}</strong></p>`,
          ...view.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
          action && `<p>${link(action.url, action.label)}</p>`,
        ],
      );
    }
  }
}

function content(
  msgtype: MatrixContent["msgtype"],
  text: (string | null | undefined)[],
  html: (string | null | undefined)[],
): MatrixContent {
  return {
    msgtype,
    body: text.filter(Boolean).join("\n\n"),
    format: "org.matrix.custom.html",
    formatted_body: html.filter(Boolean).join(""),
  };
}

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
