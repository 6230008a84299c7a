import { type Outgoing, updateAsAlert } from "../../model/outgoing.ts";
import type { SendContext } from "../channel.ts";
import { safeLink } from "../message-view.ts";
import {
  byNewest,
  cut,
  digestTitle,
  plainSnippet,
  sourceLine,
  type WebhookPreset,
} from "./shared.ts";

// ntfy JSON publishing, which takes UTF-8 titles that plain HTTP headers cannot carry.

/** `https://ntfy.sh/alerts` becomes a POST to `https://ntfy.sh/` with `topic: "alerts"`. */
export function ntfyEndpoint(topicUrl: string): { url: string; topic: string } {
  const u = new URL(topicUrl);
  const parts = u.pathname.split("/");
  const topic = decodeURIComponent(parts.pop() ?? "");
  if (!topic)
    throw new Error(`ntfy URL ${topicUrl} has no topic (expected e.g. https://ntfy.sh/my-alerts)`);
  u.pathname = `${parts.join("/")}/`;
  return { url: u.href, topic };
}

export function ntfyBody(message: Outgoing, ctx: SendContext, topic: string): object {
  if (message.kind === "update") return ntfyBody(updateAsAlert(message.update), ctx, topic);
  switch (message.kind) {
    case "alert": {
      const { alert } = message;
      const link = safeLink(alert.item.link);
      const lines = [
        alert.item.title,
        sourceLine(alert, ctx),
        plainSnippet(
          alert.snippet,
          (h) => `«${h}»`,
          (s) => s,
        ),
      ];
      if (message.note) lines.push(message.note);
      const feedback = ctx.feedbackUrls;
      return {
        topic,
        title: cut(alert.watchlist.title, 250),
        message: cut(lines.filter(Boolean).join("\n"), 3500),
        tags: ["newspaper"],
        ...(link ? { click: link } : {}),
        // ntfy's "view" actions open a URL (at most three per message): the feedback page,
        // whose button records the vote.
        ...(feedback
          ? {
              actions: [
                { action: "view", label: "Useful", url: feedback.useful },
                { action: "view", label: "Not relevant", url: feedback.notRelevant },
              ],
            }
          : {}),
      };
    }
    case "digest": {
      const lines = message.digest.sections.flatMap((s) =>
        s.alerts.length === 0
          ? []
          : [`${s.watchlist.title}:`, ...byNewest(s.alerts).map((a) => `• ${a.item.title}`)],
      );
      return {
        topic,
        title: cut(digestTitle(message), 250),
        message: cut(lines.join("\n"), 3500),
        tags: ["newspaper"],
      };
    }
    case "notice": {
      const { notice } = message;
      const url = notice.action ? safeLink(notice.action.url) : null;
      return {
        topic,
        title: cut(notice.subject, 250),
        message: cut(notice.text, 3500),
        ...(url && notice.action
          ? { click: url, actions: [{ action: "view", label: notice.action.label, url }] }
          : {}),
      };
    }
  }
}

export const ntfyPreset: WebhookPreset<"ntfy"> = {
  format: "ntfy",
  request(url, message, ctx) {
    const endpoint = ntfyEndpoint(url);
    return { url: endpoint.url, body: JSON.stringify(ntfyBody(message, ctx, endpoint.topic)) };
  },
  urlProblem(url) {
    try {
      ntfyEndpoint(url);
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  },
};
