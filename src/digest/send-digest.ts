import { channelTargets } from "../channels/registry.ts";
import type { Logger } from "../log.ts";
import type { Alert } from "../model/alert.ts";
import type { Subscriber } from "../model/subscriber.ts";
import type { RedisClient } from "../queue/connection.ts";
import type { Enqueue } from "../queue/enqueue.ts";
import { jobId } from "../queue/jobs.ts";
import type { DigestBucket, DigestPendingStore } from "../store/digest-pending.ts";
import type { Keys } from "../store/keys.ts";
import { independentOutlets, type StoryReport } from "../store/stories.ts";
import { buildDigest } from "./build-digest.ts";

export interface SendDigestDeps {
  redis: RedisClient;
  keys: Keys;
  pending: DigestPendingStore;
  enqueue: Pick<Enqueue, "deliveries">;
  /** Each story's reports at send time: a digest lists every outlet seen until it goes out. */
  stories?: { reports(storyId: string): Promise<StoryReport[]> };
  log: Logger;
}

export interface DigestOutcome {
  digestId: string;
  status: "queued" | "empty" | "already-sent";
  entries: number;
  deliveryIds: string[];
}

const SENT_TTL_SECONDS = 90 * 86_400;
const CLAIM_TTL_MS = 120_000;

/**
 * Sends one subscriber's digest for one period, at most once: the batch is taken under the
 * digest's id, its deliveries are queued under ids derived from it, and only then is the
 * period marked sent and the batch dropped. A crash anywhere in between re-runs to the same
 * result; a second scheduler's job for the same period finds it sent.
 */
export async function sendDigest(
  subscriber: Subscriber,
  bucket: DigestBucket,
  periodKey: string,
  periodLabel: string,
  deps: SendDigestDeps,
): Promise<DigestOutcome> {
  const digestId = jobId("d", subscriber.id, periodKey);
  const sentKey = deps.keys.digestSent(digestId);
  if (await deps.redis.exists(sentKey))
    return { digestId, status: "already-sent", entries: 0, deliveryIds: [] };
  // Two runs of the same period at once (a retried job overlapping a slow one): one proceeds.
  // The claim expires, so a run that crashed is taken over by the queue's next attempt.
  const claimed = await deps.redis.set(
    deps.keys.digestClaim(digestId),
    "1",
    "PX",
    CLAIM_TTL_MS,
    "NX",
  );
  if (claimed === null) return { digestId, status: "already-sent", entries: 0, deliveryIds: [] };

  const alerts = await withOutletsSoFar(
    await deps.pending.take(subscriber.id, bucket, digestId),
    deps.stories,
  );
  const digest = buildDigest(alerts, {
    digestId,
    subscriberId: subscriber.id,
    periodLabel,
    timezone: subscriber.timezone,
    watchlistOrder: subscriber.watchlists.map((w) => w.id),
  });
  const deliveryIds: string[] = [];
  if (digest) {
    const ids = await deps.enqueue.deliveries(
      channelTargets(subscriber).map(({ channel, target }) => ({
        subscriberId: subscriber.id,
        channel,
        target,
        message: { kind: "digest" as const, digest },
      })),
    );
    deliveryIds.push(...ids);
  }
  await deps.redis.set(sentKey, new Date().toISOString(), "EX", SENT_TTL_SECONDS);
  await deps.pending.release(digestId);
  const entries = digest?.sections.reduce((n, s) => n + s.alerts.length, 0) ?? 0;
  deps.log.info(
    { subscriberId: subscriber.id, digestId, entries },
    digest ? "digest queued" : "digest empty: skipped",
  );
  return { digestId, status: digest ? "queued" : "empty", entries, deliveryIds };
}

/** Alerts with the outlets their story has now, not only those known when each was filed. */
async function withOutletsSoFar(
  alerts: Alert[],
  stories: SendDigestDeps["stories"],
): Promise<Alert[]> {
  if (!stories) return alerts;
  const cache = new Map<string, StoryReport[]>();
  const out: Alert[] = [];
  for (const alert of alerts) {
    if (!alert.storyId) {
      out.push(alert);
      continue;
    }
    let reports = cache.get(alert.storyId);
    if (!reports) {
      reports = await stories.reports(alert.storyId);
      cache.set(alert.storyId, reports);
    }
    const own = alert.item.feed.id;
    const known = new Set([own, ...alert.alsoReportedBy.map((a) => a.feedId)]);
    const extra = reports
      .filter((r) => !known.has(r.feedId) && known.add(r.feedId))
      .map((r) => ({ feedId: r.feedId, feedTitle: r.feedTitle, title: r.title, link: r.link }));
    out.push({
      ...alert,
      alsoReportedBy: [...alert.alsoReportedBy, ...extra],
      outlets: Math.max(alert.outlets ?? 1, independentOutlets(reports)),
    });
  }
  return out;
}
