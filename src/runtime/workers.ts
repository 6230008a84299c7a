import { type Job, Worker } from "bullmq";
import { type DeliverWorkerDeps, deliverProcessor } from "../../workers/deliver.ts";
import { digestProcessor } from "../../workers/digest.ts";
import { pollJobFailed, pollProcessor } from "../../workers/poll.ts";
import { DeliveryError } from "../channels/delivery-error.ts";
import { deliveryRetryDelayMs } from "../channels/retry-schedule.ts";
import { queueAdminNotice } from "../pipeline/health-notices.ts";
import type { PollOutcome } from "../pipeline/outcome.ts";
import { holdStoredRetryAfter } from "../pipeline/retry-after-holds.ts";
import { type DeliverJob, jobId } from "../queue/jobs.ts";
import { keyPrefix, QUEUE } from "../queue/names.ts";
import { DELIVERY_BACKOFF } from "../queue/queues.ts";
import type { AppContext } from "./context.ts";

export interface WorkerHooks {
  onPoll?(outcome: PollOutcome): void;
  onDelivered?(job: DeliverJob, outcome: "sent" | "skipped"): void;
  onDeliveryFailed?(job: Job, err: Error, final: boolean): void;
  /** Replaces the delivery retry schedule (run-once uses a short one). */
  retryDelayMs?(attemptsMade: number, retryAfterMs: number | undefined): number;
}

export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

/**
 * Starts the BullMQ workers this process serves. Closing waits for active jobs to finish
 * (BullMQ's graceful close); a job cut off by a hard exit is stalled and re-run by the next
 * worker, never lost.
 */
export function startWorkers(
  ctx: AppContext,
  queues: ("poll" | "deliver" | "digest")[],
  hooks: WorkerHooks = {},
): RunningWorkers {
  const { config } = ctx.snapshot();
  const base = {
    connection: ctx.redis,
    prefix: keyPrefix(config.redis.prefix),
    ...jobLockOptions(process.env),
  };
  const workers: Worker[] = [];
  const channels = ctx.createChannels();
  if (queues.includes("poll")) {
    const pollDeps = {
      redis: ctx.redis,
      keys: ctx.keys,
      refresh: ctx.refreshDeps(),
      onOutcome: hooks.onPoll,
    };
    const worker = new Worker(QUEUE.poll, pollProcessor(pollDeps), {
      ...base,
      concurrency: config.workers.pollConcurrency,
      autorun: false,
    });
    worker.on("failed", pollJobFailed(pollDeps));
    workers.push(worker);
    // The host gate is process memory: seed it with the Retry-After holds publishers asked for
    // before this process started, then take jobs.
    void holdStoredRetryAfter(
      [...ctx.snapshot().feeds.values()],
      ctx.stores.feedStates,
      ctx.hostGate,
    )
      .catch((err: Error) =>
        ctx.log.warn({ err: err.message }, "stored Retry-After holds not read"),
      )
      .then(() => worker.run())
      .catch((err: Error) => ctx.log.error({ err: err.message }, "poll worker stopped"));
  }
  if (queues.includes("deliver")) {
    const deps: DeliverWorkerDeps = {
      channels,
      deliveries: ctx.stores.deliveries,
      statuses: ctx.stores.statuses,
      links: ctx.links,
      timezoneOf: async (id) => (await ctx.findSubscriber(id))?.timezone,
      log: ctx.log,
      onDelivered: hooks.onDelivered,
      notifyChannelDisabled: (subscriberId, channel, reason) =>
        notifyChannelDisabled(ctx, subscriberId, channel, reason),
    };
    const retryDelay = hooks.retryDelayMs ?? scaledRetryDelay(retryScale(process.env));
    const limiter = emailLimiter(config.email.ratePerSecond);
    // Two queues, one processor: the provider's send rate limits email without slowing webhooks.
    for (const name of [QUEUE.deliver, QUEUE.email]) {
      const worker = new Worker(name, deliverProcessor(deps), {
        ...base,
        concurrency: config.workers.deliverConcurrency,
        ...(limiter && name === QUEUE.email ? { limiter } : {}),
        settings: {
          backoffStrategy: (attemptsMade: number, type?: string, err?: Error) =>
            type === DELIVERY_BACKOFF
              ? retryDelay(
                  attemptsMade,
                  err instanceof DeliveryError ? err.retryAfterMs : undefined,
                )
              : 1000,
        },
      });
      worker.on("failed", (job, err) => {
        if (!job) return;
        const final =
          err.name === "UnrecoverableError" || job.attemptsMade >= (job.opts.attempts ?? 1);
        ctx.log.warn(
          { jobId: job.id, deliveryId: job.id, attempt: job.attemptsMade, final, err: err.message },
          final ? "delivery failed for good" : "delivery failed, will retry",
        );
        hooks.onDeliveryFailed?.(job, err, final);
      });
      workers.push(worker);
    }
  }
  if (queues.includes("digest")) {
    const processor = digestProcessor({
      redis: ctx.redis,
      keys: ctx.keys,
      pending: ctx.stores.pending,
      stories: ctx.stores.stories,
      queueFor: (channel) => ctx.queues.forChannel(channel),
      log: ctx.log,
      findSubscriber: (id) => ctx.findSubscriber(id),
      releaseUncorroborated: (alertId) => ctx.dispatcher.releaseUncorroborated(alertId),
      periodLabel: (sub, periodKey) => periodLabel(sub.timezone, periodKey),
    });
    workers.push(new Worker(QUEUE.digest, processor, { ...base, concurrency: 2 }));
  }
  for (const worker of workers)
    worker.on("error", (err) =>
      ctx.log.error({ queue: worker.name, err: err.message }, "worker error"),
    );
  return {
    workers,
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
      await channels.closeAll();
    },
  };
}

/**
 * BullMQ's limiter for `email.ratePerSecond`: at most `max` jobs per `duration` ms. Below 1/s
 * it is one message per 1000/rate ms (0.2 → one per 5 s), and above it rounds down, never up:
 * the rate is the provider's ceiling, and 2.6 sent as 3 per second would exceed it.
 */
export function emailLimiter(
  ratePerSecond: number | undefined,
): { max: number; duration: number } | undefined {
  if (!ratePerSecond) return undefined;
  if (ratePerSecond < 1) return { max: 1, duration: Math.ceil(1000 / ratePerSecond) };
  return { max: Math.floor(ratePerSecond), duration: 1000 };
}

/**
 * NEWSWATCH_RETRY_SCALE multiplies the delivery retry schedule (0.001 turns 5 min into 0.3 s).
 * Meant for fault tests and drills, where a day-long schedule cannot be waited out; 1 (the
 * default) is the real schedule. Retry-After is scaled too, the receiver being in the drill.
 */
export function retryScale(env: NodeJS.ProcessEnv): number {
  const scale = Number(env.NEWSWATCH_RETRY_SCALE ?? "1");
  return Number.isFinite(scale) && scale > 0 ? scale : 1;
}

/**
 * NEWSWATCH_JOB_LOCK_MS shortens BullMQ's job lock (default 30 s) and stalled-job check: a job
 * held by a worker that died is handed to another worker after about this long instead of
 * up to a minute. Locks are renewed at half this period, so keep it well above event-loop
 * pauses (a few seconds at least in production).
 */
export function jobLockOptions(env: NodeJS.ProcessEnv): {
  lockDuration?: number;
  stalledInterval?: number;
} {
  const ms = Number(env.NEWSWATCH_JOB_LOCK_MS);
  return Number.isFinite(ms) && ms >= 500 ? { lockDuration: ms, stalledInterval: ms } : {};
}

function scaledRetryDelay(scale: number) {
  return (attemptsMade: number, retryAfterMs: number | undefined) =>
    scale === 1
      ? deliveryRetryDelayMs(attemptsMade, retryAfterMs)
      : Math.max(1, Math.round(deliveryRetryDelayMs(attemptsMade, retryAfterMs) * scale));
}

/** "26 Nov 2026, 07:00 (Asia/Baghdad)" for a period key that is a timestamp, else the key. */
function periodLabel(timezone: string, periodKey: string): string {
  const ms = Number(periodKey.replace(/^\D+-/, ""));
  const at = Number.isFinite(ms) && ms > 1e11 ? new Date(ms) : new Date();
  const text = new Intl.DateTimeFormat("en-GB", {
    timeZone: timezone,
    dateStyle: "medium",
    timeStyle: "short",
  }).format(at);
  return `${text} (${timezone})`;
}

/** A 410 turned a subscriber's endpoint off: tell them once by email (if they have one) and the admin. */
async function notifyChannelDisabled(
  ctx: AppContext,
  subscriberId: string,
  channel: string,
  reason: string,
): Promise<void> {
  const notice = {
    id: jobId("n", subscriberId, "disabled", channel),
    subject: `[newswatch] your ${channel} endpoint was turned off`,
    text: `Deliveries to your ${channel} endpoint for subscriber ${subscriberId} stopped: ${reason}. Update the endpoint and ask an administrator to re-enable it.`,
  };
  const subscriber = await ctx.findSubscriber(subscriberId);
  if (subscriber?.email && channel !== "email") {
    const deliveryId = jobId(notice.id, "email");
    const job: DeliverJob = {
      deliveryId,
      subscriberId,
      channel: "email",
      target: { address: subscriber.email },
      message: { kind: "notice", notice },
    };
    await ctx.queues.email.add("notice", job, { jobId: deliveryId });
  }
  await queueAdminNotice(ctx.snapshot().config, notice, (c) => ctx.queues.forChannel(c));
}
