import type { Config } from "../config/schema.ts";
import type { Logger } from "../log.ts";
import { healthChangeNotice, healthNotice, queueAdminNotice } from "../notices/admin-notices.ts";
import type { Enqueue } from "../queue/enqueue.ts";
import type { FeedStateStore } from "../store/feed-state.ts";
import { feedHealth } from "./feed-health.ts";

export interface HealthNoticeDeps {
  feedStates: FeedStateStore;
  enqueue: Pick<Enqueue, "deliveries">;
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
  await queueAdminNotice(config, healthChangeNotice(feedId, health, now, notice), deps.enqueue);
}
