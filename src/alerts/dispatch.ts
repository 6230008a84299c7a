import { channelTargets } from "../channels/registry.ts";
import type { Logger } from "../log.ts";
import type { Alert } from "../model/alert.ts";
import type { Outgoing, StoryUpdate } from "../model/outgoing.ts";
import { DEFAULT_UPDATE_INTERVAL_MS, type Subscriber, updatesFor } from "../model/subscriber.ts";
import type { AlertDispatcher } from "../pipeline/process-items.ts";
import type { RedisClient } from "../queue/connection.ts";
import type { Enqueue } from "../queue/enqueue.ts";
import type { DigestPendingStore } from "../store/digest-pending.ts";
import { shortHash } from "../store/hash.ts";
import type { Keys } from "../store/keys.ts";
import { STORY_TTL_MS } from "../store/stories.ts";
import type { PlannedAlert } from "./plan.ts";
import { countsTowardStormCap, inQuietHours, msUntilQuietEnd, routeAlert } from "./policy.ts";

/**
 * Routes planned alerts by each subscriber's policy: immediate ones become one delivery
 * job per channel (the job id refuses duplicates), digest ones are filed for the digest,
 * quiet-hours ones are held and a flush is scheduled for the end of the window.
 *
 * An alert is routed once. The same story reported later (another outlet, a revision) has
 * the same alert id and is an update instead: by the subscriber's `updates` it is dropped,
 * filed for the digest (which merges it into the story's entry, adding its outlet), or sent
 * now as a threaded update when it adds something and the story's `updateInterval` has
 * passed. The mark is written after the routing, so a poll that crashes in between routes
 * again (the job id and the digest's merge by story absorb that) rather than losing the alert.
 */
export class QueueDispatcher implements AlertDispatcher {
  constructor(
    private readonly deps: {
      redis: RedisClient;
      keys: Keys;
      enqueue: Pick<Enqueue, "deliveries" | "digest" | "corroborate">;
      pending: DigestPendingStore;
      log: Logger;
      now?: () => Date;
    },
  ) {}

  async dispatch(planned: PlannedAlert[]): Promise<{ deliveryIds: string[]; digested: number }> {
    const deliveryIds: string[] = [];
    let digested = 0;
    for (const p of planned) {
      const { alert, subscriber, mode } = p;
      if (await this.deps.redis.exists(this.deps.keys.routed(alert.id))) {
        const update = await this.routeUpdate(alert, subscriber);
        deliveryIds.push(...update.deliveryIds);
        digested += update.digested;
        continue;
      }
      const now = this.deps.now?.() ?? new Date();
      if (p.corroboration && (alert.outlets ?? 1) < p.corroboration.minSources) {
        await this.waitForCorroboration(p);
        continue;
      }
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
        const note = [p.note, route.note].filter(Boolean).join(" ");
        const message: Outgoing = { kind: "alert", alert, ...(note ? { note } : {}) };
        deliveryIds.push(...(await this.queueNow(message, alert, subscriber)));
      }
      await this.deps.redis.set(this.deps.keys.routed(alert.id), "1", "PX", STORY_TTL_MS);
      // Corroborated in time (or released): the waiting copy and its timer have nothing left to do.
      if (p.corroboration || p.note)
        await this.deps.redis.del(this.deps.keys.corroborating(alert.id));
      this.deps.log.info(
        { alertId: alert.id, subscriberId: subscriber.id, watchlistId: alert.watchlist.id, route },
        "alert planned",
      );
    }
    return { deliveryIds, digested };
  }

  /**
   * Parks an alert whose story has fewer independent outlets than its watchlist asks for, and
   * sets a timer: a later report from another outlet plans the same alert again and it goes
   * out then; if none comes, `releaseUncorroborated` sends it marked single-source.
   */
  private async waitForCorroboration(p: PlannedAlert): Promise<void> {
    const within = p.corroboration?.withinMs ?? 0;
    const parked = await this.deps.redis.set(
      this.deps.keys.corroborating(p.alert.id),
      JSON.stringify(p),
      "PX",
      within + STORY_TTL_MS,
      "NX",
    );
    if (parked === null) return; // already waiting: the first report's timer runs
    await this.deps.enqueue.corroborate(
      {
        subscriberId: p.subscriber.id,
        periodKey: `corroborate-${p.alert.id}`,
        alertId: p.alert.id,
      },
      within,
    );
    this.deps.log.info(
      { alertId: p.alert.id, subscriberId: p.subscriber.id, waitMs: within },
      "alert waits for a second outlet (minSources)",
    );
  }

  /**
   * The corroboration wait is over and no second outlet came: the alert goes out, marked
   * single-source, never dropped. Nothing happens if it went out meanwhile.
   */
  async releaseUncorroborated(
    alertId: string,
  ): Promise<{ deliveryIds: string[]; digested: number }> {
    const raw = await this.deps.redis.get(this.deps.keys.corroborating(alertId));
    if (!raw) return { deliveryIds: [], digested: 0 };
    if (await this.deps.redis.exists(this.deps.keys.routed(alertId))) {
      await this.deps.redis.del(this.deps.keys.corroborating(alertId));
      return { deliveryIds: [], digested: 0 };
    }
    const waiting = JSON.parse(raw) as PlannedAlert;
    const { corroboration: _done, ...rest } = waiting;
    const within = spoken(waiting.corroboration?.withinMs ?? 0);
    return this.dispatch([
      { ...rest, note: `Single source: no other outlet carried this story within ${within}.` },
    ]);
  }

  /** One delivery job per channel of the subscriber; the job id refuses a second copy. */
  private queueNow(message: Outgoing, alert: Alert, subscriber: Subscriber): Promise<string[]> {
    return this.deps.enqueue.deliveries(
      channelTargets(subscriber).map(({ channel, target }) => ({
        subscriberId: subscriber.id,
        channel,
        target,
        message,
        discoveredAt: Date.parse(alert.discoveredAt),
      })),
    );
  }

  /** A later report of a story this subscriber was already alerted to (see the class note). */
  private async routeUpdate(
    alert: Alert,
    subscriber: Subscriber,
  ): Promise<{ deliveryIds: string[]; digested: number }> {
    const updates = updatesFor(subscriber, alert.watchlist.id);
    const log = { alertId: alert.id, subscriberId: subscriber.id, storyId: alert.storyId, updates };
    const none = { deliveryIds: [], digested: 0 };
    if (updates === "none") return none;
    const now = this.deps.now?.() ?? new Date();
    const quiet = subscriber.quietHours
      ? inQuietHours(subscriber.quietHours, subscriber.timezone, now)
      : false;
    if (updates === "digest" || quiet) {
      // The digest merges it into the story's entry: one entry, every outlet, what changed.
      // An immediate update in quiet hours waits with the held alerts instead.
      await this.deps.pending.add(subscriber.id, quiet ? "held" : "digest", alert);
      if (quiet)
        await this.scheduleHeldFlush(
          subscriber.id,
          subscriber.quietHours as string,
          subscriber.timezone,
          now,
        );
      this.deps.log.info(log, "story update filed for the digest");
      return { deliveryIds: [], digested: 1 };
    }
    const changes = alert.changes ?? [];
    if (changes.length === 0) {
      this.deps.log.debug(log, "story update adds nothing new: kept on the story, not sent");
      return none;
    }
    const interval = subscriber.updateInterval ?? DEFAULT_UPDATE_INTERVAL_MS;
    const storyKey = alert.storyId ?? alert.id;
    const gate = await this.deps.redis.set(
      this.deps.keys.storyUpdateSent(subscriber.id, storyKey),
      now.toISOString(),
      "PX",
      interval,
      "NX",
    );
    if (gate === null) {
      this.deps.log.info(log, "story update not sent: one was sent within updateInterval");
      return none;
    }
    // Updates spend the same hourly budget as alerts: past it, the digest has them.
    if (countsTowardStormCap("immediate", subscriber, now)) {
      const sent = await this.countImmediate(subscriber.id, now);
      if (!routeAlert("immediate", subscriber, now, sent).immediate) {
        await this.deps.pending.add(subscriber.id, "digest", alert);
        this.deps.log.info(log, "story update over the storm cap: filed for the digest");
        return { deliveryIds: [], digested: 1 };
      }
    }
    const update: StoryUpdate = {
      id: `u${shortHash(`${alert.id}\n${alert.item.feed.id}\n${alert.item.id}`, 24)}`,
      alertId: alert.id,
      storyId: storyKey,
      storyTitle: alert.storyTitle ?? alert.item.title,
      alert,
      changes,
      outlets: [
        ...alert.alsoReportedBy,
        {
          feedId: alert.item.feed.id,
          feedTitle: alert.item.feed.title,
          title: alert.item.title,
          link: alert.item.link,
        },
      ],
      outletCount: alert.outlets ?? 1 + alert.alsoReportedBy.length,
    };
    const deliveryIds = await this.queueNow({ kind: "update", update }, alert, subscriber);
    this.deps.log.info({ ...log, updateId: update.id, changes }, "story update queued");
    return { deliveryIds, digested: 0 };
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

/** "30 min", "2 h", "45 s": a wait as a reader says it. */
function spoken(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 1000)} s`;
}
