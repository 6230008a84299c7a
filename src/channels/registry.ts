import type { Channel } from "./channel.ts";
import { createEmailChannel, type EmailChannelOptions } from "./email.ts";
import { createWebhookChannel, type WebhookChannelOptions } from "./webhook.ts";

export interface ChannelRegistry {
  /** The channel for a kind; throws for a kind nobody registered (a config/code mismatch). */
  get(kind: string): Channel<unknown>;
  readonly kinds: readonly string[];
  /** Closes every channel, even when one of them fails to. */
  closeAll(): Promise<void>;
}

/** Maps kind to channel. Two channels claiming one kind is a programming error, refused here. */
export function createChannelRegistry(channels: Channel<unknown>[]): ChannelRegistry {
  const byKind = new Map<string, Channel<unknown>>();
  for (const channel of channels) {
    if (byKind.has(channel.kind))
      throw new Error(`two channels registered for kind "${channel.kind}"`);
    byKind.set(channel.kind, channel);
  }
  return {
    kinds: [...byKind.keys()],
    get(kind) {
      const channel = byKind.get(kind);
      if (!channel)
        throw new Error(`no channel for kind "${kind}" (known: ${[...byKind.keys()].join(", ")})`);
      return channel;
    },
    async closeAll() {
      const results = await Promise.allSettled([...byKind.values()].map((c) => c.close()));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
      if (failed) throw failed.reason;
    },
  };
}

export interface BuiltInChannelOptions {
  email: EmailChannelOptions;
  webhook: WebhookChannelOptions;
}

/** The channels newswatch ships. Adding one: a file implementing Channel, and a line here. */
export function createBuiltInChannels(opts: BuiltInChannelOptions): Channel<unknown>[] {
  return [createEmailChannel(opts.email), createWebhookChannel(opts.webhook)];
}
