import type { z } from "zod";
import type { Channel } from "./channel.ts";
import { emailChannel } from "./email.ts";
import { matrixChannel } from "./matrix.ts";
import type {
  AdminFieldOf,
  AnyChannelModule,
  ChannelEnv,
  ChannelSettings,
  DeliveryQueueName,
} from "./module.ts";
import { webhookChannel } from "./webhook.ts";

/**
 * The channels newswatch ships, in the order subscribers list them. Adding one: a file
 * exporting its ChannelModule, and a line here.
 */
export const CHANNEL_MODULES = [emailChannel, webhookChannel, matrixChannel] as const;

type Module = (typeof CHANNEL_MODULES)[number];

export type ChannelKind = Module["kind"];

/** Every module as code that walks the registry sees it. */
export const CHANNELS: readonly AnyChannelModule[] = CHANNEL_MODULES;

/** A subscriber's channel settings, one optional key per channel (`email`, `webhook`, ...). */
export type ChannelFields = { [M in Module as M["kind"]]?: z.output<M["field"]> };

type AdminKind<M extends Module> = AdminFieldOf<M> extends z.ZodNever ? never : M["kind"];

/** The admin section's channel settings. */
export type AdminChannelFields = {
  [M in Module as AdminKind<M>]: z.output<AdminFieldOf<M>>;
};

/** The subscriber schema's channel keys, each optional. */
export function channelFields(): { [M in Module as M["kind"]]: z.ZodOptional<M["field"]> } {
  return Object.fromEntries(CHANNELS.map((m) => [m.kind, m.field.optional()])) as never;
}

/** The admin section's schema keys, from the channels that take admin notices. */
export function channelAdminFields(): { [M in Module as AdminKind<M>]: AdminFieldOf<M> } {
  return Object.fromEntries(
    CHANNELS.flatMap((m) => (m.admin ? [[m.kind, m.admin.field]] : [])),
  ) as never;
}

/** The value of a channel's key on a subscriber (or the admin section), as the module reads it. */
export function settingOf(holder: object, kind: string): unknown {
  return (holder as Record<string, unknown>)[kind];
}

export function channelModule(kind: string): AnyChannelModule | undefined {
  return CHANNELS.find((m) => m.kind === kind);
}

/** The kinds, for messages: "an email or a webhook", "email, webhook or matrix". */
export function spellChoices(words: readonly string[]): string {
  if (words.length < 2) return words.join("");
  return `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

/** The queue a channel's deliveries go through (a kind nobody registered uses the shared one). */
export function queueOfChannel(kind: string): DeliveryQueueName {
  return channelModule(kind)?.queue ?? "deliver";
}

/** The delivery queues, each with the send rate its channels allow (the lowest one set). */
export function deliveryQueues(
  settings: ChannelSettings,
): { name: DeliveryQueueName; ratePerSecond: number | undefined }[] {
  const names: DeliveryQueueName[] = ["deliver", "email"];
  return names.map((name) => {
    const rates = CHANNELS.filter((c) => c.queue === name)
      .map((c) => c.ratePerSecond?.(settings))
      .filter((r): r is number => r !== undefined);
    return { name, ratePerSecond: rates.length > 0 ? Math.min(...rates) : undefined };
  });
}

/** The channels a subscriber is reached on, with the target each channel needs. */
export function channelTargets(sub: ChannelFields): { channel: ChannelKind; target: unknown }[] {
  return CHANNELS.flatMap((m) => {
    const value = settingOf(sub, m.kind);
    if (value === undefined) return [];
    return m.targetsOf(value).map((target: unknown) => ({
      channel: m.kind as ChannelKind,
      target,
    }));
  });
}

/** Each admin notice recipient: the channel, its target, and a key telling two targets apart. */
export function adminTargets(
  admin: Partial<AdminChannelFields>,
): { channel: ChannelKind; target: unknown; key: string }[] {
  return CHANNELS.flatMap((m) => {
    if (!m.admin) return [];
    const value = settingOf(admin, m.kind);
    return m.admin
      .targetsOf(value)
      .map(({ target, key }) => ({ channel: m.kind as ChannelKind, target, key }));
  });
}

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

/** Every registered channel's sender, built once per process. */
export function createChannels(env: ChannelEnv): ChannelRegistry {
  return createChannelRegistry(CHANNELS.map((m) => m.create(env) as Channel<unknown>));
}
