import type { Outgoing, SendContext } from "./channel.ts";
import { discordBody } from "./presets/discord.ts";
import { ntfyBody, ntfyEndpoint } from "./presets/ntfy.ts";
import type { PresetRequest } from "./presets/shared.ts";
import { slackBody } from "./presets/slack.ts";

export type { PresetRequest };
export { ntfyEndpoint };

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
