import cron from "node-cron";
import { feedEveryMs } from "../config/schema.ts";
import type { Logger } from "../log.ts";
import type { Snapshot } from "../model/snapshot.ts";
import { receivesDigests, type Subscriber } from "../model/subscriber.ts";
import type { Enqueue } from "../queue/enqueue.ts";
import { jobId } from "../queue/jobs.ts";
import type { Queues } from "../queue/queues.ts";
import type { DigestPendingStore } from "../store/digest-pending.ts";
import type { FeedStateStore } from "../store/feed-state.ts";
import { previousDigestTime } from "./digest-times.ts";
import { dueAt } from "./due-feeds.ts";

/** A digest whose time passed less than this long ago is still sent (covers a scheduler restart). */
const DIGEST_CATCH_UP_MS = 30 * 60_000;

/** What the scheduler reads and where it enqueues; the composition root provides it. */
export interface SchedulerContext {
  snapshot(): Snapshot;
  readonly stores: {
    feedStates: FeedStateStore;
    /** Read only: whether an immediate-only subscriber has something waiting for a digest. */
    pending: Pick<DigestPendingStore, "count">;
  };
  /** Read only: whether a poll is still queued for a feed's old due time. */
  readonly queues: Pick<Queues, "poll">;
  readonly enqueue: Pick<Enqueue, "poll" | "digest">;
  subscribers(): Promise<readonly Subscriber[]>;
  readonly log: Logger;
}

export interface RunningScheduler {
  stop(): Promise<void>;
  /** Runs both ticks now (tests and startup). */
  tick(): Promise<void>;
}

/**
 * The scheduler only enqueues. Job ids are built from (feed, due time) and (subscriber,
 * digest time), so any number of schedulers on one Redis add each job once.
 */
export function startScheduler(
  ctx: SchedulerContext,
  opts: { now?: () => number } = {},
): RunningScheduler {
  const now = opts.now ?? (() => Date.now());
  const startedAt = now();
  let running: Promise<void> | null = null;

  const enqueueDueFeeds = async () => {
    const snapshot = ctx.snapshot();
    const feeds = [...snapshot.feeds.values()].filter((f) => f.enabled);
    const states = await ctx.stores.feedStates.getSchedules(feeds.map((f) => f.id));
    const at = now();
    for (const feed of feeds) {
      const state = states.get(feed.id);
      if (!state || state.disabled) continue;
      const every = feedEveryMs(feed, snapshot.config.defaults);
      let due = dueAt(feed, state, startedAt, snapshot.config.defaults.firstPollSpread, every);
      if (state.nextPollAt === null) due = await ctx.stores.feedStates.moveDue(feed.id, null, due);
      else if (due !== state.nextPollAt) due = await spreadOverdue(feed.id, state.nextPollAt, due);
      if (due > at) continue;
      await ctx.enqueue.poll({ feedId: feed.id, due });
    }
  };

  /**
   * Stores the spread due time of a feed left overdue by an outage, so every scheduler builds
   * the same job id. A poll already queued for its old time (the workers were down, not the
   * scheduler) keeps its place: moving it would poll the feed twice.
   */
  const spreadOverdue = async (feedId: string, overdue: number, spread: number) => {
    const queued = await ctx.queues.poll.getJob(jobId("poll", feedId, overdue));
    const state = queued ? await queued.getState() : null;
    if (state !== null && state !== "completed" && state !== "failed" && state !== "unknown")
      return overdue;
    return ctx.stores.feedStates.moveDue(feedId, overdue, spread);
  };

  const enqueueDueDigests = async () => {
    const at = new Date(now());
    for (const sub of await ctx.subscribers()) {
      const fireTime = previousDigestTime(sub.schedule, sub.timezone, at).getTime();
      if (at.getTime() - fireTime > DIGEST_CATCH_UP_MS) continue;
      // An immediate-only subscriber still has a digest when the default storm cap or story
      // updates filed something for it.
      if (!receivesDigests(sub) && (await ctx.stores.pending.count(sub.id, "digest")) === 0)
        continue;
      const periodKey = `at-${fireTime}`;
      await ctx.enqueue.digest({ subscriberId: sub.id, periodKey });
    }
  };

  const tick = async () => {
    if (running) return running; // a slow Redis must not stack ticks up
    running = (async () => {
      try {
        await enqueueDueFeeds();
        await enqueueDueDigests();
      } catch (err) {
        ctx.log.error({ err: (err as Error).message }, "scheduler tick failed (will try again)");
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const task = cron.schedule("*/10 * * * * *", () => void tick(), { noOverlap: true });
  void tick();
  return {
    tick,
    stop: async () => {
      await task.stop();
      await running;
    },
  };
}
