import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics/registry.ts";
import type { Snapshot } from "../model/snapshot.ts";
import type { Subscriber } from "../model/subscriber.ts";
import type { RefreshDeps } from "../pipeline/refresh-feed.ts";
import type { RedisClient } from "../queue/connection.ts";
import type { Enqueue } from "../queue/enqueue.ts";
import type { Queues } from "../queue/queues.ts";
import type { DeliveryStore } from "../store/deliveries.ts";
import type { FeedStateStore } from "../store/feed-state.ts";
import type { FeedbackStore } from "../store/feedback.ts";
import type { Keys } from "../store/keys.ts";
import type { RecentItemStore } from "../store/recent-items.ts";
import type { SubscriberStatusStore } from "../store/subscriber-status.ts";
import type { WebSubStore } from "../store/websub-store.ts";
import type { SubscriptionStore } from "../subscriptions/store.ts";
import type { LinkBuilder } from "../subscriptions/tokens.ts";
import type { WatchlistStore } from "../subscriptions/watchlist-store.ts";

/** What the HTTP server's routes and pages use of a process; the composition root provides it. */
export interface HttpContext {
  snapshot(): Snapshot;
  readonly redis: RedisClient;
  readonly keys: Keys;
  readonly links: LinkBuilder;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** The admin queue board and the deliveries pages read the queues themselves. */
  readonly queues: Queues;
  readonly enqueue: Enqueue;
  readonly stores: {
    statuses: SubscriberStatusStore;
    recent: RecentItemStore;
    feedStates: FeedStateStore;
    deliveries: DeliveryStore;
    websub: WebSubStore;
    feedback: FeedbackStore;
  };
  readonly subscriptions: SubscriptionStore;
  readonly apiWatchlists: WatchlistStore;
  subscribers(): Promise<Subscriber[]>;
  findSubscriber(id: string): Promise<Subscriber | undefined>;
  /** What a poll needs: content a WebSub hub pushes is processed as a poll's document. */
  refreshDeps(): RefreshDeps;
  /** Re-reads the API's watchlists into the rules after one was saved. */
  loadApiWatchlists(): Promise<void>;
}
