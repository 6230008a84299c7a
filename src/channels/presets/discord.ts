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
  type WebhookPreset,
} from "./shared.ts";

// Discord execute-webhook body with embeds; no mentions, ever.

// Backslash-escape Discord markdown so a headline cannot format, link or quote itself.
function discordEscape(text: string): string {
  return text.replace(/([\\*_~`|>#[\]()<:-])/g, "\\$1");
}

const DISCORD = {
  title: 256,
  description: 4096,
  total: 6000,
  embeds: 10,
  fieldValue: 1024,
} as const;

// Markdown links in an embed's description are clickable; the URL is ours (signed, http/https).
const discordLink = (url: string, label: string) => `[${label}](${url})`;

function discordAlertEmbed(alert: Alert, ctx: SendContext) {
  const link = safeLink(alert.item.link);
  const lines = [plainSnippet(alert.snippet, (h) => `**${h}**`, discordEscape)];
  if (alert.alsoReportedBy.length > 0) {
    lines.push(
      `Also reported by: ${alert.alsoReportedBy.map((a) => discordEscape(a.feedTitle)).join(", ")}`,
    );
  }
  // Cut before the links are added, so a long snippet never cuts a link in half.
  const feedback = feedbackLine(ctx, discordLink);
  return {
    title: cut(alert.item.title || "(untitled)", DISCORD.title),
    ...(link ? { url: link } : {}),
    description: [cut(lines.join("\n\n"), 1500), feedback].filter(Boolean).join("\n\n"),
    ...(alert.item.published ? { timestamp: alert.item.published } : {}),
    footer: {
      text: cut(`${alert.item.feed.title || alert.item.feed.id} · ${alert.watchlist.title}`, 2048),
    },
    fields: [
      {
        name: "Matched",
        value: cut(matchedTerms(alert).join(", ") || "-", DISCORD.fieldValue),
        inline: true,
      },
    ],
  };
}

export function discordBody(message: Outgoing, ctx: SendContext): object {
  if (message.kind === "update") return discordBody(updateAsAlert(message.update), ctx);
  const base = { username: "newswatch", allowed_mentions: { parse: [] as string[] } };
  switch (message.kind) {
    case "alert":
      return {
        ...base,
        content: cut(message.note ? discordEscape(message.note) : "", 2000),
        embeds: [discordAlertEmbed(message.alert, ctx)],
      };
    case "digest": {
      // One embed per watchlist, entries as linked lines, within Discord's per-message budget.
      let budget = DISCORD.total - 300;
      const embeds: object[] = [];
      for (const s of message.digest.sections) {
        if (s.alerts.length === 0 || embeds.length >= DISCORD.embeds) continue;
        const lines: string[] = [];
        let used = 0;
        for (const alert of byNewest(s.alerts)) {
          const link = safeLink(alert.item.link);
          const title = discordEscape(cut(alert.item.title, 200));
          const line = `**${link ? `[${title}](${link})` : title}**\n${discordEscape(sourceLine(alert, ctx))}`;
          if (used + line.length + 2 > Math.min(DISCORD.description, budget)) break;
          lines.push(line);
          used += line.length + 2;
        }
        const more = s.alerts.length - lines.length;
        if (more > 0) lines.push(`…and ${more} more`);
        const embed = {
          title: cut(s.watchlist.title, DISCORD.title),
          description: lines.join("\n\n"),
        };
        budget -= embed.title.length + embed.description.length;
        embeds.push(embed);
      }
      return { ...base, content: discordEscape(digestTitle(message)), embeds };
    }
    case "notice": {
      const { notice } = message;
      const url = notice.action ? safeLink(notice.action.url) : null;
      return {
        ...base,
        embeds: [
          {
            title: cut(notice.subject, DISCORD.title),
            description: cut(discordEscape(notice.text), DISCORD.description),
            ...(url ? { url } : {}),
          },
        ],
      };
    }
  }
}

export const discordPreset: WebhookPreset<"discord"> = {
  format: "discord",
  request: (url, message, ctx) => ({ url, body: JSON.stringify(discordBody(message, ctx)) }),
};
