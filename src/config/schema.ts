import { z } from "zod";
import { channelAdminFields, channelFields } from "../channels/registry.ts";
import { TELEGRAM_MIN_INTERVAL_MS, telegramPreviewUrl } from "../sources/telegram-channel.ts";
import { parseDuration } from "./duration.ts";
import { httpUrl } from "./fields.ts";
import { configList, resolveLists } from "./lists.ts";

/** A duration written like "10m" or "1h30m", turned into milliseconds. */
const duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === null) {
    ctx.addIssue({
      code: "custom",
      message: `"${text}" is not a duration (use e.g. 30s, 10m, 2h, 7d)`,
    });
    return z.NEVER;
  }
  return ms;
});

/** Ids become Redis key parts and BullMQ job ids, which must not contain ":" (BullMQ guide). */
export const id = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
  );

export const deliveryMode = z.enum(["immediate", "digest", "both"]);

/** What later reports of a story already alerted do: nothing, a digest entry, or an update now. */
export const updatesMode = z.enum(["none", "digest", "immediate"]);

export const quietHours = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'must look like "22:00-06:00"');

export const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, "is not a known IANA timezone (e.g. UTC, Europe/London, Asia/Baghdad)");

/** Where a feed's items come from; every kind is fetched through the same guarded fetcher. */
export const feedKind = z.enum(["feed", "html", "telegram"]);

/** CSS selectors for a page without a feed: `item` picks each story, the rest look inside it. */
const pageSelectors = z.strictObject({
  item: z.string().min(1).optional(),
  title: z.string().min(1).optional(),
  link: z.string().min(1).optional(),
  date: z.string().min(1).optional(),
  summary: z.string().min(1).optional(),
});

/** Telegram's own rule for public usernames: 5-32 letters, digits and underscores. */
const telegramChannel = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_]{3,31}$/,
    "must be a public channel name: 5-32 letters, digits or '_' (the part after t.me/)",
  );

const feed = z
  .strictObject({
    id,
    /** Required except for `kind: telegram`, where it overrides https://t.me/s/CHANNEL. */
    url: httpUrl.optional(),
    kind: feedKind.default("feed"),
    select: pageSelectors.optional(),
    channel: telegramChannel.optional(),
    /** Fetch each new item's linked article and match its body too. */
    fullText: z.boolean().default(false),
    title: z.string().optional(),
    every: duration.optional(),
    enabled: z.boolean().default(true),
    /** Alert on first-poll items younger than this; without it the first poll only records. */
    backfill: duration.optional(),
    /** Feeds of one owner share a group: corroboration counts them as one outlet. */
    group: id.optional(),
  })
  .superRefine((f, ctx) => {
    if (f.kind === "telegram" && !f.channel)
      ctx.addIssue({ code: "custom", path: ["channel"], message: "kind telegram needs a channel" });
    if (f.kind !== "telegram" && !f.url)
      ctx.addIssue({
        code: "custom",
        path: ["url"],
        message: "is required (an http or https URL)",
      });
    if (f.kind !== "telegram" && f.channel)
      ctx.addIssue({ code: "custom", path: ["channel"], message: "only for kind: telegram" });
    if (f.kind !== "html" && f.select)
      ctx.addIssue({ code: "custom", path: ["select"], message: "only for kind: html" });
  })
  .transform((f) => ({ ...f, url: f.url ?? telegramPreviewUrl(f.channel ?? "") }));

export const watchlist = z.strictObject({
  id,
  title: z.string().min(1),
  description: z.string().optional(),
  query: z.string().min(1),
  stemming: z.boolean().default(true),
  alertOnUpdate: z.boolean().default(false),
  /** Independent outlets a story needs before it alerts (default 1); a single-source one waits. */
  minSources: z.number().int().min(1).max(10).optional(),
  /** How long a story short of minSources waits before going out marked single-source (30m). */
  corroborateWithin: duration.optional(),
});

const subscriptionRef = z.union([
  id,
  z.strictObject({ id, mode: deliveryMode.optional(), updates: updatesMode.optional() }),
]);

/**
 * What a subscriber chooses beyond where to be reached: the same fields, defaults and checks
 * for the config file's subscribers and for subscriptions made on the page or the API.
 * `noWatchlists` is the wording for an empty list (config authors and people differ).
 */
export function subscriberPolicyFields(noWatchlists: string) {
  return {
    mode: deliveryMode.default("immediate"),
    schedule: z.string().default("0 7 * * *"),
    timezone: timezone.default("UTC"),
    quietHours: quietHours.optional(),
    /** Storm cap on immediate alerts per clock hour (default 20); "unlimited" turns it off. */
    maxPerHour: z.union([z.number().int().positive(), z.literal("unlimited")]).optional(),
    /** Later reports of an alerted story; unset means "digest" (see updatesFor). */
    updates: updatesMode.optional(),
    /** At most one immediate update per story in this time. */
    updateInterval: duration.default(1_800_000),
    watchlists: z.array(subscriptionRef).min(1, noWatchlists),
  };
}

const subscriber = z.strictObject({
  id,
  ...channelFields(),
  ...subscriberPolicyFields("must name at least one watchlist"),
});

export const configSchema = z.strictObject({
  redis: z
    .strictObject({
      url: z.string().default("redis://127.0.0.1:6379"),
      prefix: id.default("newswatch"),
      /** The URL names one node of a Redis Cluster; the client finds the rest. */
      cluster: z.boolean().default(false),
    })
    .prefault({}),
  http: z
    .strictObject({
      port: z.number().int().min(0).max(65535).default(8787),
      host: z.string().default("127.0.0.1"),
      publicUrl: httpUrl.default("http://localhost:8787"),
      /** Bearer token for the admin API and pages; without it they are disabled. */
      adminToken: z.string().min(16, "must be at least 16 characters").optional(),
      /** Trust X-Forwarded-For (set when a reverse proxy is in front). */
      trustProxy: z.boolean().default(false),
      /** Signs unsubscribe and manage links; defaults to a value derived from the admin token or prefix. */
      secret: z.string().min(16, "must be at least 16 characters").optional(),
      /** How publishers reach whoever runs this newswatch (a URL or an email), in the User-Agent. */
      contact: z
        .string()
        .regex(/^[^\s()<>\\]+$/, "a URL or an email address, without spaces or brackets")
        .optional(),
    })
    .prefault({}),
  email: z
    .strictObject({
      from: z.string().default("Newswatch <alerts@newswatch.local>"),
      smtp: z.string().optional(),
      outbox: z.string().default("./outbox"),
      templates: z.string().optional(),
      /** Most emails sent per second across all workers (the provider's limit). */
      ratePerSecond: z.number().positive().optional(),
      /** Pooled SMTP connections per worker process. */
      maxConnections: z.number().int().positive().default(10),
    })
    .prefault({}),
  security: z.strictObject({ allowPrivateNetworks: z.boolean().default(false) }).prefault({}),
  defaults: z
    .strictObject({
      every: duration.default(600_000),
      minInterval: duration.default(300_000),
      maxInterval: duration.default(86_400_000),
      connectTimeout: duration.default(10_000),
      timeout: duration.default(30_000),
      maxBodyBytes: z
        .number()
        .int()
        .positive()
        .default(10 * 1024 * 1024),
      maxItemsPerPoll: z.number().int().positive().default(200),
      /** Items kept from one feed document, newest first; the rest are ignored (an archive, not news). */
      maxItems: z.number().int().positive().default(1000),
      /** Entries read from one fetch, first listed first: bounds a poll's memory. */
      maxItemsPerFetch: z.number().int().positive().default(5000),
      maxConcurrentPerHost: z.number().int().positive().default(2),
      hostSpacing: duration.default(1000),
      /** Never-polled feeds start within this window, each at a stable offset (no start-up burst). */
      firstPollSpread: duration.default(30_000),
      /** How long seen item ids are remembered. */
      seenRetention: duration.default(60 * 86_400_000),
      /** How far apart two reports may be and still be one incident (from its first report). */
      incidentWindow: duration.default(12 * 3_600_000),
      /** Consecutive failures before the admin is told a feed is failing. */
      failureNoticeAfter: z.number().int().positive().default(5),
    })
    .prefault({}),
  workers: z
    .strictObject({
      pollConcurrency: z.number().int().positive().default(8),
      deliverConcurrency: z.number().int().positive().default(16),
      /** Which queues a `newswatch worker` serves. */
      queues: z.array(z.enum(["poll", "deliver", "digest"])).default(["poll", "deliver", "digest"]),
      /** How long SIGTERM waits for active jobs before exiting. */
      shutdownTimeout: duration.default(30_000),
    })
    .prefault({}),
  admin: z.strictObject(channelAdminFields()).prefault({}),
  lists: z
    .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/), configList)
    .default({})
    .transform(resolveLists),
  feeds: z.array(feed).default([]),
  watchlists: z.array(watchlist).default([]),
  subscribers: z.array(subscriber).default([]),
});

export type Config = z.infer<typeof configSchema>;
export type FeedConfig = Config["feeds"][number];
export type FeedKind = z.infer<typeof feedKind>;
export type PageSelectors = z.infer<typeof pageSelectors>;
export type WatchlistConfig = Config["watchlists"][number];
export type SubscriberConfig = Config["subscribers"][number];
export type DeliveryMode = z.infer<typeof deliveryMode>;
export type UpdatesMode = z.infer<typeof updatesMode>;

/** A feed's configured poll interval: its own `every`, else `defaults.every`. */
export function feedEveryMs(feed: FeedConfig, defaults: Config["defaults"]): number {
  return feed.every ?? defaults.every;
}

/**
 * The shortest interval a feed is polled at: `defaults.minInterval`, raised for a kind whose
 * source cannot answer 304 (a Telegram preview), where each poll is a full download.
 */
export function feedMinIntervalMs(feed: FeedConfig, defaults: Config["defaults"]): number {
  const floor = feed.kind === "telegram" ? TELEGRAM_MIN_INTERVAL_MS : 0;
  return Math.max(defaults.minInterval, floor);
}
