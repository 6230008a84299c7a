import type { z } from "zod";
import type { Channel, ThreadRefs } from "./channel.ts";

/** A problem with one channel setting, located relative to that setting (`[]` is the value itself). */
export interface TargetProblem {
  path: (string | number)[];
  message: string;
}

/** What a channel's checks may know of the installation. */
export interface CheckPolicy {
  allowPrivateNetworks: boolean;
}

/** The part of the config a channel's sender is built from; a narrow view, not the whole file. */
export interface ChannelSettings {
  email: {
    from: string;
    smtp?: string;
    outbox: string;
    templates?: string;
    maxConnections: number;
    ratePerSecond?: number;
  };
  http: { publicUrl: string };
  security: { allowPrivateNetworks: boolean };
}

/** What building a sender needs besides the settings. */
export interface ChannelEnv {
  settings: ChannelSettings;
  /** Relative paths in the settings (outbox, templates) resolve against this directory. */
  cwd: string;
  userAgent: string;
  /** Thread roots of chat channels that reply in threads (Matrix). */
  threads: ThreadRefs;
}

/** The delivery queues; a channel names the one its jobs go through. */
export type DeliveryQueueName = "deliver" | "email";

/** A channel's setting in the admin section: admin notices go to these targets too. */
export interface AdminSetting<Field extends z.ZodType, Target> {
  /** Schema of `admin.<kind>` (with its default, when it has one). */
  field: Field;
  /** The targets, each with a key that tells two of them apart in the delivery id. */
  targetsOf(value: z.output<Field>): { target: Target; key: string }[];
  check?(value: z.output<Field>, policy: CheckPolicy): TargetProblem[];
}

/**
 * Everything newswatch knows about one channel, in one place: the config schema, `check`,
 * planning, `newswatch subscribers`, the queues and the workers read it from the registry
 * (registry.ts) and name no channel themselves.
 */
export interface ChannelModule<
  Kind extends string,
  Field extends z.ZodType,
  Target,
  AdminField extends z.ZodType = z.ZodNever,
> {
  /** The channel's name: its key on a subscriber, in delivery ids and in `--channel`. */
  readonly kind: Kind;
  /** How messages name a subscriber's setting: "an email", "a webhook". */
  readonly noun: string;
  /** Schema of the subscriber's `<kind>` setting; the config and the API accept it from here. */
  readonly field: Field;
  /** The channel's `admin.<kind>` setting, when admin notices can go over it. */
  readonly admin?: AdminSetting<AdminField, Target>;
  /** The queue this channel's deliveries go through. */
  readonly queue: DeliveryQueueName;
  /** Sends per second across all workers, when the provider sets a ceiling. */
  ratePerSecond?(settings: ChannelSettings): number | undefined;
  /**
   * Whether the subscriber-wide "suppressed" status (an address that bounced) stops this
   * channel, and `--reactivate` on it lifts that status.
   */
  readonly suppressible?: boolean;
  /** What `newswatch subscribers` writes for a channel that is off: "suppressed", "disabled". */
  readonly offLabel: string;
  /** The targets a subscriber's setting names. */
  targetsOf(value: z.output<Field>): Target[];
  /** Checks of what the setting means, beyond its shape (`newswatch check`). */
  check(value: z.output<Field>, policy: CheckPolicy): TargetProblem[];
  /** One short line for the `subscribers` table, e.g. "webhook hooks.example.org". */
  describe(value: z.output<Field>): string;
  /** The setting in `subscribers --json`, without secrets. */
  summary(value: z.output<Field>): unknown;
  /** Builds the sender; the delivery worker calls it once per process. */
  create(env: ChannelEnv): Channel<Target>;
}

/** A module of any kind, as code that walks the registry sees it. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds modules of different targets
export type AnyChannelModule = ChannelModule<string, z.ZodType, any, z.ZodType>;

/** The schema of a module's admin setting (ZodNever when it has none). */
export type AdminFieldOf<M> =
  // biome-ignore lint/suspicious/noExplicitAny: only the admin field is looked at
  M extends ChannelModule<any, any, any, infer AdminField> ? AdminField : never;

/** Spells a module with its literal kind and target types inferred. */
export function defineChannel<
  Kind extends string,
  Field extends z.ZodType,
  Target,
  AdminField extends z.ZodType = z.ZodNever,
>(
  module: ChannelModule<Kind, Field, Target, AdminField>,
): ChannelModule<Kind, Field, Target, AdminField> {
  return module;
}
