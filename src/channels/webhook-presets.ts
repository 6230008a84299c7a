import type { Outgoing } from "../model/outgoing.ts";
import type { SendContext } from "./channel.ts";
import { discordPreset } from "./presets/discord.ts";
import { ntfyEndpoint, ntfyPreset } from "./presets/ntfy.ts";
import type { PresetRequest, WebhookPreset } from "./presets/shared.ts";
import { slackPreset } from "./presets/slack.ts";

export type { PresetRequest, WebhookPreset };
export { ntfyEndpoint };

/** The services a webhook can speak to in their own shape. Adding one: a file in presets/ and a line here. */
export const WEBHOOK_PRESETS = [slackPreset, discordPreset, ntfyPreset] as const;

export type PresetFormat = (typeof WEBHOOK_PRESETS)[number]["format"];

/** Every `format` a webhook accepts: the signed Standard Webhooks `json`, then the presets. */
export const WEBHOOK_FORMATS = ["json", ...WEBHOOK_PRESETS.map((p) => p.format)] as [
  "json",
  ...PresetFormat[],
];

export function presetOf(format: PresetFormat): WebhookPreset {
  const preset = WEBHOOK_PRESETS.find((p) => p.format === format);
  if (!preset) throw new Error(`no webhook preset "${format}"`);
  return preset;
}

/** The body (and, for ntfy, the endpoint) each service's incoming webhook expects. */
export function presetRequest(
  format: PresetFormat,
  url: string,
  message: Outgoing,
  ctx: SendContext,
): PresetRequest {
  return presetOf(format).request(url, message, ctx);
}
