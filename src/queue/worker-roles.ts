import type { Job, Worker } from "bullmq";
import type { ChannelRegistry } from "../channels/registry.ts";
import type { SendOnceDeps } from "../delivery/send-once.ts";
import type { SendDigestDeps } from "../digest/send-digest.ts";
import type { Logger } from "../log.ts";
import type { Subscriber } from "../model/subscriber.ts";
import type { PollOutcome } from "../pipeline/outcome.ts";
import type { PollJobDeps } from "../pipeline/poll-job.ts";
import type { RedisClient } from "./connection.ts";
import type { DeliverJob } from "./jobs.ts";

// What the BullMQ workers (the top-level workers/ folder) are handed. The composition root
// builds these once per process; workers/ builds its Worker objects from them and imports
// nothing of the runtime.

export type WorkerQueue = "poll" | "deliver" | "digest";

export interface WorkerHooks {
  onPoll?(outcome: PollOutcome): void;
  onDelivered?(job: DeliverJob, outcome: "sent" | "skipped"): void;
  onDeliveryFailed?(job: Job, err: Error, final: boolean): void;
  /** Replaces the delivery retry schedule (run-once uses a short one). */
  retryDelayMs?(attemptsMade: number, retryAfterMs: number | undefined): number;
}

/** Settings every worker shares, read once from the config and the environment. */
export interface WorkerSettings {
  connection: RedisClient;
  /** The hash-tagged key prefix of the queues. */
  prefix: string;
  /** BullMQ job lock and stalled-job check (NEWSWATCH_JOB_LOCK_MS), when shortened. */
  lock: { lockDuration?: number; stalledInterval?: number };
  pollConcurrency: number;
  deliverConcurrency: number;
  /** The delivery queues with the send rate their channels allow. */
  deliveryQueues: { name: string; ratePerSecond: number | undefined }[];
  /** Multiplies the delivery retry schedule (NEWSWATCH_RETRY_SCALE; 1 is the real one). */
  retryScale: number;
  log: Logger;
}

export interface PollRole extends PollJobDeps {
  /** Seeds the process's host gate with stored Retry-After holds before jobs are taken. */
  seedHostGate(): Promise<void>;
}

export interface DeliverRole extends Omit<SendOnceDeps, "channels"> {
  /** Each delivery worker set builds its own senders and closes them when it stops. */
  createChannels(): ChannelRegistry;
}

export interface DigestRole extends SendDigestDeps {
  findSubscriber(id: string): Promise<Subscriber | undefined>;
  /** Sends an alert whose corroboration wait ended without a second outlet. */
  releaseUncorroborated?(alertId: string): Promise<unknown>;
  periodLabel(subscriber: Subscriber, periodKey: string): string;
}

export interface WorkerRoles {
  settings: WorkerSettings;
  poll: PollRole;
  deliver: DeliverRole;
  digest: DigestRole;
}

export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

/** Starts the BullMQ workers for the given queues; the entry point provides it. */
export type StartWorkers = (
  roles: { workerRoles(): WorkerRoles },
  queues: WorkerQueue[],
  hooks?: WorkerHooks,
) => RunningWorkers;
