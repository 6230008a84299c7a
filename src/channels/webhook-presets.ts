import type { Alert, SnippetSegment } from "../alerts/alert.ts";
import type { Outgoing, SendContext } from "./channel.ts";
import { formatTime, matchedTerms, safeLink } from "./message-view.ts";

/** A request body ready to POST, for the chat and push presets (which are not signed). */
export interface PresetRequest {
  url: string;
  body: string;
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function byNewest(alerts: Alert[]): Alert[] {
  const t = (a: Alert) => Date.parse(a.item.published ?? a.discoveredAt) || 0;
  return [...alerts].sort((a, b) => t(b) - t(a));
}

function storyCount(message: Extract<Outgoing, { kind: "digest" }>): number {
  return message.digest.sections.reduce((n, s) => n + s.alerts.length, 0);
}

function digestTitle(message: Extract<Outgoing, { kind: "digest" }>): string {
  const n = storyCount(message);
  return `Newswatch digest: ${n === 1 ? "1 new story" : `${n} new stories`} · ${message.digest.periodLabel}`;
}

function plainSnippet(
  segments: SnippetSegment[],
  mark: (hit: string) => string,
  esc: (s: string) => string,
) {
  return segments.map((s) => (s.hit ? mark(esc(s.text)) : esc(s.text))).join("");
}

function sourceLine(alert: Alert, ctx: SendContext): string {
  const when = formatTime(alert.item.published ?? alert.discoveredAt, ctx.timezone);
  return [alert.item.feed.title || alert.item.feed.id, when].filter(Boolean).join(" · ");
}

// ---- Slack: incoming webhook, `text` as the notification fallback plus Block Kit sections.

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
const SLACK_MAX_ENTRIES = 40; // of the 50 blocks a message may have

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

function slackBody(message: Outgoing, ctx: SendContext): object {
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
      return { text: slackEscape(`[${alert.watchlist.title}] ${alert.item.title}`), blocks };
    }
    case "digest": {
      const title = digestTitle(message);
      const blocks: object[] = [
        { type: "header", text: { type: "plain_text", text: cut(title, 150) } },
      ];
      let shown = 0;
      for (const s of message.digest.sections) {
        if (s.alerts.length === 0) continue;
        blocks.push(section(`*${slackEscape(s.watchlist.title)}*`));
        for (const alert of byNewest(s.alerts)) {
          if (shown++ >= SLACK_MAX_ENTRIES) break;
          blocks.push(section(slackAlertText(alert, ctx)));
        }
      }
      const total = storyCount(message);
      if (total > SLACK_MAX_ENTRIES)
        blocks.push(context(`and ${total - SLACK_MAX_ENTRIES} more in the email digest`));
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

// ---- Discord: execute-webhook body with embeds; no mentions, ever.

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

function discordAlertEmbed(alert: Alert) {
  const link = safeLink(alert.item.link);
  const lines = [plainSnippet(alert.snippet, (h) => `**${h}**`, discordEscape)];
  if (alert.alsoReportedBy.length > 0) {
    lines.push(
      `Also reported by: ${alert.alsoReportedBy.map((a) => discordEscape(a.feedTitle)).join(", ")}`,
    );
  }
  return {
    title: cut(alert.item.title || "(untitled)", DISCORD.title),
    ...(link ? { url: link } : {}),
    description: cut(lines.join("\n\n"), 1500),
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

function discordBody(message: Outgoing, ctx: SendContext): object {
  const base = { username: "newswatch", allowed_mentions: { parse: [] as string[] } };
  switch (message.kind) {
    case "alert":
      return {
        ...base,
        content: cut(message.note ? discordEscape(message.note) : "", 2000),
        embeds: [discordAlertEmbed(message.alert)],
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

// ---- ntfy: JSON publishing, which takes UTF-8 titles that plain HTTP headers cannot carry.

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

function ntfyBody(message: Outgoing, ctx: SendContext, topic: string): object {
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
      return {
        topic,
        title: cut(alert.watchlist.title, 250),
        message: cut(lines.filter(Boolean).join("\n"), 3500),
        tags: ["newspaper"],
        ...(link ? { click: link } : {}),
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

export type PresetFormat = "slack" | "discord" | "ntfy";

/** The body (and, for ntfy, the endpoint) each service's incoming webhook expects. */
export function presetRequest(
  format: PresetFormat,
  url: string,
  message: Outgoing,
  ctx: SendContext,
): PresetRequest {
  switch (format) {
    case "slack":
      return { url, body: JSON.stringify(slackBody(message, ctx)) };
    case "discord":
      return { url, body: JSON.stringify(discordBody(message, ctx)) };
    case "ntfy": {
      const endpoint = ntfyEndpoint(url);
      return { url: endpoint.url, body: JSON.stringify(ntfyBody(message, ctx, endpoint.topic)) };
    }
  }
}
