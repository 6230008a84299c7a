import { channelTargets } from "../channels/registry.ts";
import type { Logger } from "../log.ts";
import type { AlertDispatcher } from "../pipeline/process-items.ts";
import type { RedisClient } from "../queue/connection.ts";
import type { Enqueue } from "../queue/enqueue.ts";
import type { Keys } from "../queue/names.ts";
import type { DigestPendingStore } from "../store/digest-pending.ts";
import { STORY_TTL_MS } from "../store/stories.ts";
import type { PlannedAlert } from "./plan.ts";
import { countsTowardStormCap, msUntilQuietEnd, routeAlert } from "./policy.ts";

/**
 * Routes planned alerts by each subscriber's policy: immediate ones become one delivery
 * job per channel (the job id refuses duplicates), digest ones are filed for the digest,
 * quiet-hours ones are held and a flush is scheduled for the end of the window.
 *
 * An alert is routed once. The same story reported later by another outlet has the same
 * alert id, and without this check it would be filed into a second digest, or sent now
 * after going out in a quiet-hours batch, and use up the storm cap on the way. The mark is
 * written after the routing, so a poll that crashes in between routes again (the job id and
 * the digest's merge by story absorb that) rather than losing the alert.
 */
export class QueueDispatcher implements AlertDispatcher {
  constructor(
    private readonly deps: {
      redis: RedisClient;
      keys: Keys;
      enqueue: Pick<Enqueue, "deliveries" | "digest">;
      pending: DigestPendingStore;
      log: Logger;
      now?: () => Date;
    },
  ) {}

  async dispatch(planned: PlannedAlert[]): Promise<{ deliveryIds: string[]; digested: number }> {
    const deliveryIds: string[] = [];
    let digested = 0;
    for (const { alert, subscriber, mode } of planned) {
      if (await this.deps.redis.exists(this.deps.keys.routed(alert.id))) {
        this.deps.log.debug(
          { alertId: alert.id, subscriberId: subscriber.id },
          "alert already routed (the story came again)",
        );
        continue;
      }
      const now = this.deps.now?.() ?? new Date();
      const sentThisHour = countsTowardStormCap(mode, subscriber, now)
        ? await this.countImmediate(subscriber.id, now)
        : 0;
      const route = routeAlert(mode, subscriber, now, sentThisHour);
      if (route.digest) {
        await this.deps.pending.add(subscriber.id, "digest", alert);
        digested++;
      }
      if (route.held) {
        await this.deps.pending.add(subscriber.id, "held", alert);
        await this.scheduleHeldFlush(
          subscriber.id,
          subscriber.quietHours as string,
          subscriber.timezone,
          now,
        );
      }
      if (route.immediate) {
        const message = {
          kind: "alert" as const,
          alert,
          ...(route.note ? { note: route.note } : {}),
        };
        const ids = await this.deps.enqueue.deliveries(
          channelTargets(subscriber).map(({ channel, target }) => ({
            subscriberId: subscriber.id,
            channel,
            target,
            message,
            discoveredAt: Date.parse(alert.discoveredAt),
          })),
        );
        deliveryIds.push(...ids);
      }
      await this.deps.redis.set(this.deps.keys.routed(alert.id), "1", "PX", STORY_TTL_MS);
      this.deps.log.info(
        { alertId: alert.id, subscriberId: subscriber.id, watchlistId: alert.watchlist.id, route },
        "alert planned",
      );
    }
    return { deliveryIds, digested };
  }

  /** Counts this alert against the subscriber's hour; shared by every worker through Redis. */
  private async countImmediate(subscriberId: string, now: Date): Promise<number> {
    const hour = Math.floor(now.getTime() / 3_600_000);
    const key = this.deps.keys.rate(subscriberId, hour);
    const [[, count]] = (await this.deps.redis.multi().incr(key).expire(key, 7200).exec()) as [
      [null, number],
      unknown,
    ];
    return count;
  }

  private async scheduleHeldFlush(
    subscriberId: string,
    window: string,
    timezone: string,
    now: Date,
  ): Promise<void> {
    const delay = msUntilQuietEnd(window, timezone, now);
    const endsAt = Math.round((now.getTime() + delay) / 60_000) * 60_000;
    const periodKey = `held-${endsAt}`;
    await this.deps.enqueue.digest({ subscriberId, periodKey }, { delay });
  }
}
