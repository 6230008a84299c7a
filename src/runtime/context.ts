import { randomBytes } from "node:crypto";
import path from "node:path";
import { QueueDispatcher } from "../alerts/dispatch.ts";
import type { Subscriber } from "../alerts/subscriber.ts";
import { createBuiltInChannels, createChannelRegistry } from "../channels/registry.ts";
import type { LoadedConfig } from "../config/load.ts";
import { restartOnlyChanges } from "../config/restart-keys.ts";
import type { WatchlistConfig } from "../config/schema.ts";
import { HostGate } from "../feeds/host-gate.ts";
import type { Logger } from "../log.ts";
import { Metrics } from "../metrics/registry.ts";
import { metricSources } from "../metrics/sources.ts";
import { queueAdminNotice } from "../pipeline/health-notices.ts";
import type { RefreshDeps } from "../pipeline/refresh-feed.ts";
import type { RedisClient } from "../queue/connection.ts";
import { connectRedis } from "../queue/connection.ts";
import { jobId } from "../queue/jobs.ts";
import { Keys } from "../queue/names.ts";
import { createQueues, type Queues } from "../queue/queues.ts";
import { DeliveryStore } from "../store/deliveries.ts";
import { DigestPendingStore } from "../store/digest-pending.ts";
import { FeedDailyCounts } from "../store/feed-daily.ts";
import { FeedStateStore } from "../store/feed-state.ts";
import { RecentItemStore } from "../store/recent-items.ts";
import { SeenStore } from "../store/seen.ts";
import { StoryStore } from "../store/stories.ts";
import { SubscriberStatusStore } from "../store/subscriber-status.ts";
import { SubscriptionStore } from "../subscriptions/store.ts";
import { LinkBuilder } from "../subscriptions/tokens.ts";
import { WatchlistStore } from "../subscriptions/watchlist-store.ts";
import { buildSnapshot, type Snapshot } from "./snapshot.ts";
import { userAgent } from "./version.ts";

export interface Stores {
  feedDaily: FeedDailyCounts;
  feedStates: FeedStateStore;
  seen: SeenStore;
  stories: StoryStore;
  deliveries: DeliveryStore;
  recent: RecentItemStore;
  pending: DigestPendingStore;
  statuses: SubscriberStatusStore;
}

/**
 * Everything a newswatch process shares between its roles. Built from a loaded config;
 * `reload` swaps in a new snapshot (feeds, watchlists, rules) without touching the queues.
 */
export class AppContext {
  private current: Snapshot;
  readonly keys: Keys;
  readonly stores: Stores;
  readonly queues: Queues;
  readonly hostGate: HostGate;
  readonly dispatcher: QueueDispatcher;
  /** This process's Prometheus registry (GET /metrics). */
  readonly metrics: Metrics;

  /** Subscriptions made through the HTTP API; they live in Redis, beside the config's. */
  readonly subscriptions: SubscriptionStore;
  /** Watchlists made through the API; they live in Redis, beside the config's. */
  readonly apiWatchlists: WatchlistStore;
  private extraWatchlists: WatchlistConfig[] = [];

  private constructor(
    private loaded: LoadedConfig,
    readonly redis: RedisClient,
    readonly log: Logger,
    readonly links: LinkBuilder,
    readonly cwd: string,
  ) {
    this.current = buildSnapshot(loaded);
    const { config } = loaded;
    this.keys = new Keys(config.redis.prefix);
    this.subscriptions = new SubscriptionStore(redis, this.keys);
    this.apiWatchlists = new WatchlistStore(redis, this.keys);
    this.stores = {
      feedDaily: new FeedDailyCounts(redis, this.keys),
      feedStates: new FeedStateStore(redis, this.keys),
      seen: new SeenStore(redis, this.keys),
      stories: new StoryStore(redis, this.keys, { windowMs: config.defaults.incidentWindow }),
      deliveries: new DeliveryStore(redis, this.keys),
      recent: new RecentItemStore(redis, this.keys),
      pending: new DigestPendingStore(redis, this.keys),
      statuses: new SubscriberStatusStore(redis, this.keys),
    };
    this.queues = createQueues(redis, config.redis.prefix);
    this.hostGate = new HostGate({
      maxConcurrentPerHost: config.defaults.maxConcurrentPerHost,
      minSpacingMs: config.defaults.hostSpacing,
    });
    this.dispatcher = new QueueDispatcher({
      redis,
      keys: this.keys,
      queueFor: (channel) => this.queues.forChannel(channel),
      digestQueue: this.queues.digest,
      pending: this.stores.pending,
      log,
    });
    this.metrics = new Metrics(
      metricSources({
        queues: this.queues,
        feedStates: this.stores.feedStates,
        snapshot: () => this.snapshot(),
      }),
    );
  }

  static async create(loaded: LoadedConfig, log: Logger, cwd: string): Promise<AppContext> {
    const redis = connectRedis(loaded.config.redis.url, { cluster: loaded.config.redis.cluster });
    redis.on("error", (err) => log.warn({ err: err.message }, "Redis connection error (retrying)"));
    const keys = new Keys(loaded.config.redis.prefix);
    const secret = loaded.config.http.secret ?? (await sharedSecret(redis, keys));
    return new AppContext(
      loaded,
      redis,
      log,
      new LinkBuilder(loaded.config.http.publicUrl, secret),
      cwd,
    );
  }

  snapshot(): Snapshot {
    return this.current;
  }

  reload(loaded: LoadedConfig): void {
    const needRestart = restartOnlyChanges(this.loaded.config, loaded.config);
    if (needRestart.length > 0) {
      this.log.warn(
        { file: loaded.file, settings: needRestart },
        `changed settings take effect only after a restart: ${needRestart.join(", ")}`,
      );
    }
    this.loaded = loaded;
    this.current = buildSnapshot(loaded, this.extraWatchlists);
    this.log.info(
      {
        file: loaded.file,
        feeds: loaded.config.feeds.length,
        watchlists: loaded.config.watchlists.length,
      },
      "config reloaded",
    );
  }

  /** Swaps in the watchlists made through the API, beside the config file's. */
  setExtraWatchlists(list: WatchlistConfig[]): void {
    this.extraWatchlists = list;
    this.current = buildSnapshot(this.loaded, list);
  }

  /** Reads the API's watchlists from Redis into the rules (at start-up, in every process). */
  async loadApiWatchlists(): Promise<void> {
    const list = await this.apiWatchlists.list();
    // Recompiling the rules is cheap but not free: only when another process changed them.
    if (JSON.stringify(list) === JSON.stringify(this.extraWatchlists)) return;
    this.setExtraWatchlists(list);
  }

  async subscribers(): Promise<Subscriber[]> {
    return [...this.current.configSubscribers, ...(await this.subscriptions.list())];
  }

  /** One subscriber by id: the config's first, else one read from Redis (not the whole list). */
  async findSubscriber(id: string): Promise<Subscriber | undefined> {
    return (
      this.current.configSubscribers.find((s) => s.id === id) ?? (await this.subscriptions.get(id))
    );
  }

  refreshDeps(): RefreshDeps {
    return {
      snapshot: () => this.snapshot(),
      subscribers: () => this.subscribers(),
      ...this.stores,
      hostGate: this.hostGate,
      dispatcher: this.dispatcher,
      queueFor: (channel: string) => this.queues.forChannel(channel),
      onIdentityChange: (feedId: string, held: number) =>
        queueAdminNotice(
          this.current.config,
          {
            id: jobId("n", feedId, "identity", Date.now()),
            subject: `[newswatch] feed ${feedId}: ${held} items held back`,
            text: `Feed ${feedId} suddenly presented ${held} known-looking items under new identities (a changed guid or URL scheme). They were recorded without alerting, to spare subscribers a flood of stale alerts.`,
          },
          (channel) => this.queues.forChannel(channel),
        ),
      onBurst: async (feedId: string, held: number) => {
        // Told once a day per feed: a feed stuck in a burst is polled again and again.
        const first = await this.redis.set(this.keys.burstNotice(feedId), "1", "EX", 86_400, "NX");
        if (first === null) return;
        await queueAdminNotice(
          this.current.config,
          {
            id: jobId("n", feedId, "burst", Date.now()),
            subject: `[newswatch] feed ${feedId}: ${held} new items held back`,
            text: `Feed ${feedId} brought ${held} new items in one fetch, far more than it published on any day of the last month. They were recorded without alerting, to spare subscribers a flood; check the feed. Later bursts of this feed in the next 24 hours are held the same way without another notice.`,
          },
          (channel) => this.queues.forChannel(channel),
        );
      },
      log: this.log,
      userAgent: userAgent(),
      now: () => Date.now(),
    };
  }

  createChannels() {
    const { config } = this.current;
    return createChannelRegistry(
      createBuiltInChannels({
        email: {
          from: config.email.from,
          smtpUrl: config.email.smtp,
          outboxDir: path.resolve(this.cwd, config.email.outbox),
          templatesDir: config.email.templates
            ? path.resolve(this.cwd, config.email.templates)
            : undefined,
          publicUrl: config.http.publicUrl,
          maxConnections: config.email.maxConnections,
        },
        webhook: {
          allowPrivateNetworks: config.security.allowPrivateNetworks,
          userAgent: userAgent(),
        },
      }),
    );
  }

  async close(): Promise<void> {
    await this.queues.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** One random link-signing secret per installation, shared by all its processes through Redis. */
async function sharedSecret(redis: RedisClient, keys: Keys): Promise<string> {
  const key = keys.linkSecret();
  await redis.set(key, randomBytes(32).toString("base64url"), "NX");
  return (await redis.get(key)) as string;
}
