import type { Queue } from "bullmq";
import { ADMIN_SUBSCRIBER } from "../alerts/subscriber.ts";
import type { Notice } from "../channels/channel.ts";
import type { Config } from "../config/schema.ts";
import type { Logger } from "../log.ts";
import { type DeliverJob, jobId } from "../queue/jobs.ts";
import type { FeedStateStore } from "../store/feed-state.ts";
import { feedHealth, healthNotice } from "./feed-health.ts";

export interface HealthNoticeDeps {
  feedStates: FeedStateStore;
  queueFor(channel: string): Queue;
  log: Logger;
  now(): number;
}

/**
 * After a poll: if the feed's health changed since the last notice, tell the configured
 * admin recipients once and remember what was told.
 */
export async function notifyHealthChange(
  feedId: string,
  config: Config,
  deps: HealthNoticeDeps,
): Promise<void> {
  const state = await deps.feedStates.get(feedId);
  const now = deps.now();
  const health = feedHealth(state, config.defaults.failureNoticeAfter, now);
  if (health === "pending" || health === "held" || health === state.noticeState) return;
  const notice = healthNotice(feedId, state.noticeState, health, state);
  await deps.feedStates.update(feedId, { noticeState: health });
  if (!notice) return;
  deps.log.warn({ feedId, health, previous: state.noticeState }, notice.subject);
  await queueAdminNotice(config, { id: jobId("n", feedId, health, now), ...notice }, deps.queueFor);
}

/** Queues one notice to every admin recipient (email addresses and the admin webhook). */
export async function queueAdminNotice(
  config: Config,
  notice: Notice,
  queueFor: (channel: string) => Queue,
): Promise<void> {
  const targets = [
    ...config.admin.email.map((address) => ({
      channel: "email",
      target: { address },
      key: address,
    })),
    ...(config.admin.webhook
      ? [{ channel: "webhook", target: config.admin.webhook, key: "hook" }]
      : []),
  ];
  for (const { channel, target, key } of targets) {
    const deliveryId = jobId(notice.id, channel, key);
    const job: DeliverJob = {
      deliveryId,
      subscriberId: ADMIN_SUBSCRIBER,
      channel,
      target,
      message: { kind: "notice", notice },
    };
    await queueFor(channel).add("notice", job, { jobId: deliveryId });
  }
}
