import { randomBytes } from "node:crypto";
import { QueueDispatcher } from "../alerts/dispatch.ts";
import { createPoster, type Poster } from "../channels/http-post.ts";
import { createChannels, deliveryQueues } from "../channels/registry.ts";
import type { LoadedConfig } from "../config/load.ts";
import { restartOnlyChanges } from "../config/restart-keys.ts";
import type { WatchlistConfig } from "../config/schema.ts";
import { periodLabel } from "../digest/period-label.ts";
import { HostGate } from "../feeds/host-gate.ts";
import type { Logger } from "../log.ts";
import { Metrics } from "../metrics/registry.ts";
import { metricSources } from "../metrics/sources.ts";
import type { Snapshot } from "../model/snapshot.ts";
import type { Subscriber } from "../model/subscriber.ts";
import {
  burstNotice,
  identityChangeNotice,
  notifyChannelDisabled,
  queueAdminNotice,
} from "../notices/admin-notices.ts";
import type { RefreshDeps } from "../pipeline/refresh-feed.ts";
import { holdStoredRetryAfter } from "../pipeline/retry-after-holds.ts";
import type { RedisClient } from "../queue/connection.ts";
import { connectRedis } from "../queue/connection.ts";
import { createEnqueue, type Enqueue } from "../queue/enqueue.ts";
import { createQueues, type Queues } from "../queue/queues.ts";
import type {
  RunningWorkers,
  StartWorkers,
  WorkerHooks,
  WorkerQueue,
  WorkerRoles,
} from "../queue/worker-roles.ts";
import { DeliveryStore } from "../store/deliveries.ts";
import { DigestPendingStore } from "../store/digest-pending.ts";
import { FeedDailyCounts } from "../store/feed-daily.ts";
import { FeedStateStore } from "../store/feed-state.ts";
import { FeedbackStore } from "../store/feedback.ts";
import { Keys, keyPrefix } from "../store/keys.ts";
import { RecentItemStore } from "../store/recent-items.ts";
import { SeenStore } from "../store/seen.ts";
import { StoryStore } from "../store/stories.ts";
import { SubscriberStatusStore } from "../store/subscriber-status.ts";
import { ThreadRefStore } from "../store/thread-refs.ts";
import { WebSubStore } from "../store/websub-store.ts";
import { SubscriptionStore } from "../subscriptions/store.ts";
import { LinkBuilder } from "../subscriptions/tokens.ts";
import { WatchlistStore } from "../subscriptions/watchlist-store.ts";
import { type PushDeps, pushPossible } from "../websub/subscription.ts";
import { buildSnapshot } from "./snapshot.ts";
import { userAgent, userAgentContact } from "./version.ts";
import { jobLockOptions, retryScale } from "./worker-settings.ts";

export interface Stores {
  feedDaily: FeedDailyCounts;
  feedStates: FeedStateStore;
  seen: SeenStore;
  stories: StoryStore;
  deliveries: DeliveryStore;
  recent: RecentItemStore;
  pending: DigestPendingStore;
  statuses: SubscriberStatusStore;
  websub: WebSubStore;
  feedback: FeedbackStore;
  threads: ThreadRefStore;
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
  /** The one way jobs are queued (deliveries, digests, polls). */
  readonly enqueue: Enqueue;
  readonly hostGate: HostGate;
  readonly dispatcher: QueueDispatcher;
  private builtMetrics: Metrics | undefined;

  /** Subscriptions made through the HTTP API; they live in Redis, beside the config's. */
  readonly subscriptions: SubscriptionStore;
  /** Watchlists made through the API; they live in Redis, beside the config's. */
  readonly apiWatchlists: WatchlistStore;
  private extraWatchlists: WatchlistConfig[] = [];
  /** For WebSub subscription requests; made on first use, closed with the context. */
  private hubPoster: Poster | null = null;
  private roles: WorkerRoles | undefined;

  private constructor(
    private loaded: LoadedConfig,
    readonly redis: RedisClient,
    readonly log: Logger,
    readonly links: LinkBuilder,
    readonly cwd: string,
    private readonly workerRunner: StartWorkers | undefined,
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
      websub: new WebSubStore(redis, this.keys),
      feedback: new FeedbackStore(redis, this.keys),
      threads: new ThreadRefStore(redis, this.keys),
    };
    this.queues = createQueues(redis, config.redis.prefix);
    this.enqueue = createEnqueue(this.queues);
    this.hostGate = new HostGate({
      maxConcurrentPerHost: config.defaults.maxConcurrentPerHost,
      minSpacingMs: config.defaults.hostSpacing,
    });
    this.dispatcher = new QueueDispatcher({
      redis,
      keys: this.keys,
      enqueue: this.enqueue,
      pending: this.stores.pending,
      log,
    });
  }

  /** Built on first use: only a process that serves /metrics reads it. */
  get metrics(): Metrics {
    this.builtMetrics ??= new Metrics(
      metricSources({
        queues: this.queues,
        feedStates: this.stores.feedStates,
        snapshot: () => this.snapshot(),
      }),
    );
    return this.builtMetrics;
  }

  /** `startWorkers` is the entry point's worker runner (workers/index.ts), for processes that run workers. */
  static async create(
    loaded: LoadedConfig,
    log: Logger,
    cwd: string,
    startWorkers?: StartWorkers,
  ): Promise<AppContext> {
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
      startWorkers,
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
      enqueue: this.enqueue,
      onIdentityChange: (feedId: string, held: number) =>
        queueAdminNotice(
          this.current.config,
          identityChangeNotice(feedId, held, Date.now()),
          this.enqueue,
        ),
      onBurst: async (feedId: string, held: number) => {
        // Told once a day per feed: a feed stuck in a burst is polled again and again.
        const first = await this.redis.set(this.keys.burstNotice(feedId), "1", "EX", 86_400, "NX");
        if (first === null) return;
        await queueAdminNotice(
          this.current.config,
          burstNotice(feedId, held, Date.now()),
          this.enqueue,
        );
      },
      push: this.pushDeps(),
      log: this.log,
      userAgent: userAgent(userAgentContact(this.current.config)),
      now: () => Date.now(),
    };
  }

  /** What WebSub subscriptions need, or null when no hub could reach http.publicUrl. */
  pushDeps(): PushDeps | null {
    const { http, security } = this.current.config;
    if (!pushPossible(http.publicUrl, security.allowPrivateNetworks)) return null;
    this.hubPoster ??= createPoster(security.allowPrivateNetworks);
    return {
      store: this.stores.websub,
      poster: this.hubPoster,
      publicUrl: http.publicUrl,
      log: this.log,
      now: () => Date.now(),
    };
  }

  /**
   * What each worker role needs, built once per process (the workers/ folder builds its
   * BullMQ workers from it and imports nothing of the runtime).
   */
  workerRoles(): WorkerRoles {
    this.roles ??= this.buildWorkerRoles();
    return this.roles;
  }

  /** Starts this process's workers through the runner its entry point provided. */
  startWorkers(queues: WorkerQueue[], hooks?: WorkerHooks): RunningWorkers {
    if (!this.workerRunner)
      throw new Error("this process was started without a worker runner (see bin/newswatch.js)");
    return this.workerRunner(this, queues, hooks);
  }

  private buildWorkerRoles(): WorkerRoles {
    const { config } = this.current;
    const refresh = this.refreshDeps();
    return {
      settings: {
        connection: this.redis,
        prefix: keyPrefix(config.redis.prefix),
        lock: jobLockOptions(process.env),
        pollConcurrency: config.workers.pollConcurrency,
        deliverConcurrency: config.workers.deliverConcurrency,
        deliveryQueues: deliveryQueues(config),
        retryScale: retryScale(process.env),
        log: this.log,
      },
      poll: {
        redis: this.redis,
        keys: this.keys,
        refresh,
        seedHostGate: async () => {
          await holdStoredRetryAfter(
            [...this.snapshot().feeds.values()],
            this.stores.feedStates,
            this.hostGate,
          );
        },
      },
      deliver: {
        createChannels: () => this.createChannels(),
        deliveries: this.stores.deliveries,
        statuses: this.stores.statuses,
        links: this.links,
        feedback: this.stores.feedback,
        timezoneOf: async (id) => (await this.findSubscriber(id))?.timezone,
        log: this.log,
        notifyChannelDisabled: (subscriberId, channel, reason) =>
          notifyChannelDisabled(
            {
              config: () => this.snapshot().config,
              emailOf: async (id) => (await this.findSubscriber(id))?.email,
              enqueue: this.enqueue,
            },
            subscriberId,
            channel,
            reason,
          ),
      },
      digest: {
        redis: this.redis,
        keys: this.keys,
        pending: this.stores.pending,
        stories: this.stores.stories,
        enqueue: this.enqueue,
        log: this.log,
        findSubscriber: (id) => this.findSubscriber(id),
        releaseUncorroborated: (alertId) => this.dispatcher.releaseUncorroborated(alertId),
        periodLabel: (sub, periodKey) => periodLabel(sub.timezone, periodKey),
      },
    };
  }

  createChannels() {
    return createChannels({
      settings: this.current.config,
      cwd: this.cwd,
      userAgent: userAgent(userAgentContact(this.current.config)),
      threads: this.stores.threads,
    });
  }

  async close(): Promise<void> {
    this.hubPoster?.close();
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
