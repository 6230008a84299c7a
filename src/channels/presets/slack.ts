import type { Alert } from "../../model/alert.ts";
import { type Outgoing, updateAsAlert } from "../../model/outgoing.ts";
import type { SendContext } from "../channel.ts";
import { matchedTerms, safeLink } from "../message-view.ts";
import {
  byNewest,
  cut,
  digestTitle,
  feedbackLine,
  plainSnippet,
  sourceLine,
  storyCount,
  type WebhookPreset,
} from "./shared.ts";

// Slack incoming webhook: `text` as the notification fallback plus Block Kit sections.

// Slack reads &, < and > as markup (<!channel> would ping everyone); nothing else is escaped.
function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function slackLink(url: string | null, label: string): string {
  const safe = safeLink(url);
  // A | inside the URL would end it early in <url|label>.
  return safe ? `<${safe.replace(/\|/g, "%7C")}|${slackEscape(label)}>` : slackEscape(label);
}

const SLACK_SECTION_CHARS = 2900; // Slack refuses section text over 3000 characters.
const SLACK_MAX_BLOCKS = 50;

function slackAlertText(alert: Alert, ctx: SendContext): string {
  const lines = [
    `*${slackLink(alert.item.link, alert.item.title)}*`,
    slackEscape(sourceLine(alert, ctx)),
    plainSnippet(alert.snippet, (h) => `*${h}*`, slackEscape),
  ];
  if (alert.alsoReportedBy.length > 0) {
    lines.push(
      `Also reported by: ${alert.alsoReportedBy.map((a) => slackLink(a.link, a.feedTitle)).join(", ")}`,
    );
  }
  return cut(lines.filter(Boolean).join("\n"), SLACK_SECTION_CHARS);
}

export function slackBody(message: Outgoing, ctx: SendContext): object {
  // No reply threads through incoming webhooks: an update posts as an alert with its note.
  if (message.kind === "update") return slackBody(updateAsAlert(message.update), ctx);
  const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });
  const context = (text: string) => ({ type: "context", elements: [{ type: "mrkdwn", text }] });
  switch (message.kind) {
    case "alert": {
      const { alert } = message;
      const blocks = [
        context(slackEscape(alert.watchlist.title)),
        section(slackAlertText(alert, ctx)),
        context(`Matched: ${slackEscape(matchedTerms(alert).join(", "))}`),
      ];
      if (message.note) blocks.push(section(slackEscape(message.note)));
      const feedback = feedbackLine(ctx, slackLink);
      if (feedback) blocks.push(context(feedback));
      return { text: slackEscape(`[${alert.watchlist.title}] ${alert.item.title}`), blocks };
    }
    case "digest": {
      const title = digestTitle(message);
      const blocks: object[] = [
        { type: "header", text: { type: "plain_text", text: cut(title, 150) } },
      ];
      let shown = 0;
      // One block is kept free for the "and N more" line.
      const room = () => blocks.length < SLACK_MAX_BLOCKS - 1;
      for (const s of message.digest.sections) {
        if (s.alerts.length === 0 || !room()) continue;
        blocks.push(section(`*${slackEscape(s.watchlist.title)}*`));
        for (const alert of byNewest(s.alerts)) {
          if (!room()) break;
          blocks.push(section(slackAlertText(alert, ctx)));
          shown++;
        }
      }
      const left = storyCount(message) - shown;
      if (left > 0) blocks.push(context(`and ${left} more ${left === 1 ? "story" : "stories"}`));
      return { text: slackEscape(title), blocks };
    }
    case "notice": {
      const { notice } = message;
      const lines = [`*${slackEscape(notice.subject)}*`, slackEscape(notice.text)];
      if (notice.action) lines.push(slackLink(notice.action.url, notice.action.label));
      return {
        text: slackEscape(notice.subject),
        blocks: [section(cut(lines.join("\n"), SLACK_SECTION_CHARS))],
      };
    }
  }
}

export const slackPreset: WebhookPreset<"slack"> = {
  format: "slack",
  request: (url, message, ctx) => ({ url, body: JSON.stringify(slackBody(message, ctx)) }),
};
