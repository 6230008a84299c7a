import type { Queue } from "bullmq";
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

/** Subscriber id used for admin notices in the audit trail (never unsubscribed or suppressed). */
export const ADMIN_SUBSCRIBER = "admin";

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
  if (health === "new" || health === state.noticeState) return;
  const notice = healthNotice(feedId, state.noticeState, health, state);
  await deps.feedStates.update(feedId, { noticeState: health });
  if (!notice) return;
  deps.log.warn({ feedId, health, previous: state.noticeState }, notice.subject);
  const id = jobId("n", feedId, health, now);
  const targets = [
    ...config.admin.email.map((address) => ({ channel: "email", target: { address } })),
    ...(config.admin.webhook ? [{ channel: "webhook", target: config.admin.webhook }] : []),
  ];
  for (const { channel, target } of targets) {
    const deliveryId = jobId(
      id,
      channel,
      channel === "email" ? (target as { address: string }).address : "hook",
    );
    const job: DeliverJob = {
      deliveryId,
      subscriberId: ADMIN_SUBSCRIBER,
      channel,
      target,
      message: { kind: "notice", notice: { id, ...notice } },
    };
    await deps.queueFor(channel).add("notice", job, { jobId: deliveryId });
  }
}
