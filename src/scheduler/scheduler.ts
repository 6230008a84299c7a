import cron from "node-cron";
import { receivesDigests } from "../alerts/subscriber.ts";
import { jobId } from "../queue/jobs.ts";
import type { AppContext } from "../runtime/context.ts";
import { previousDigestTime } from "./digest-times.ts";
import { dueAt } from "./due-feeds.ts";

/** A digest whose time passed less than this long ago is still sent (covers a scheduler restart). */
const DIGEST_CATCH_UP_MS = 30 * 60_000;

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
  ctx: AppContext,
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
      let due = dueAt(feed, state, startedAt, snapshot.config.defaults.firstPollSpread);
      if (state.nextPollAt === null) due = await ctx.stores.feedStates.claimFirstDue(feed.id, due);
      if (due > at) continue;
      await ctx.queues.poll.add(
        "poll",
        { feedId: feed.id, due },
        { jobId: jobId("poll", feed.id, due) },
      );
    }
  };

  const enqueueDueDigests = async () => {
    const at = new Date(now());
    for (const sub of await ctx.subscribers()) {
      if (!receivesDigests(sub)) continue;
      const fireTime = previousDigestTime(sub.schedule, sub.timezone, at).getTime();
      if (at.getTime() - fireTime > DIGEST_CATCH_UP_MS) continue;
      const periodKey = `at-${fireTime}`;
      await ctx.queues.digest.add(
        "digest",
        { subscriberId: sub.id, periodKey },
        { jobId: jobId("digest", sub.id, periodKey) },
      );
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
