import { escapeHtml } from "../html-escape.ts";
import { type Outgoing, updateAsAlert } from "../model/outgoing.ts";
import {
  alertView,
  digestView,
  type EntryView,
  type FeedbackView,
  type LinksView,
  noticeView,
} from "./message-view.ts";

/** What a Matrix message says: the m.room.message content of each kind of delivery. */
// Matrix caps an event at 65,536 bytes; a digest keeps well under it.
const DIGEST_ENTRIES_PER_SECTION = 20;

export interface MatrixContent {
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
