import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Poster } from "../channels/http-post.ts";
import type { Logger } from "../log.ts";
import type { PushSubscription, WebSubStore } from "../store/websub-store.ts";

/** Lease asked of the hub (it may grant another); ten days, as common hubs default to. */
export const REQUESTED_LEASE_SECONDS = 10 * 86_400;
/** A hub that has not sent its verification request by then never will: polling goes on. */
export const VERIFY_TIMEOUT_MS = 10 * 60_000;
/** After a refusal or a silent hub, ask again this much later (a day), not on every poll. */
const RETRY_AFTER_FAILURE_MS = 86_400_000;
const SUBSCRIBE_TIMEOUT_MS = 15_000;

export interface PushDeps {
  store: WebSubStore;
  poster: Poster;
  /** `http.publicUrl`: the callback is `{publicUrl}/websub/{feedId}`. */
  publicUrl: string;
  log: Logger;
  now(): number;
}

/** What a poll learned about push for its feed; `renewAt` bounds the safety-net poll delay. */
export type PushStatus = { active: true; renewAt: number } | { active: false };

/**
 * Pushes need a hub that can reach `http.publicUrl`. A loopback or private publicUrl is
 * reachable only by a hub on this machine or network, which only allowPrivateNetworks
 * admits; otherwise a default install would ask public hubs to call localhost, in vain.
 */
export function pushPossible(publicUrl: string, allowPrivateNetworks: boolean): boolean {
  if (allowPrivateNetworks) return true;
  const host = new URL(publicUrl).hostname;
  return !/^(localhost|127\.|\[::1\]|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(host);
}

/**
 * `{publicUrl}/websub/{feedId}/{token}`. The token (derived from the subscription's secret) is
 * what makes the URL unguessable: the feed id and the topic are public, and without it anyone
 * could "verify" a subscription the hub never confirmed and slow the feed's polling to the
 * safety net's pace.
 */
export function callbackUrl(publicUrl: string, feedId: string, secret: string): string {
  const path = `websub/${encodeURIComponent(feedId)}/${callbackToken(secret)}`;
  return new URL(path, publicUrl.replace(/\/?$/, "/")).href;
}

export function callbackToken(secret: string): string {
  return createHmac("sha256", secret).update("websub callback").digest("hex").slice(0, 32);
}

/** Renew a tenth of the lease before it ends, and at least a minute before. */
export function renewAt(sub: PushSubscription): number | null {
  if (sub.leaseExpiresAt === null || sub.verifiedAt === null) return null;
  const lease = sub.leaseExpiresAt - sub.verifiedAt;
  return sub.leaseExpiresAt - Math.max(60_000, lease / 10);
}

/**
 * Called after each successful poll of a feed that names a hub: subscribes, renews a lease
 * that is about to end, and notices a hub that never verified. Never throws: push is an
 * addition to polling, and its troubles are recorded on the subscription for `feeds`.
 */
export async function keepPushAlive(
  feedId: string,
  advertised: { hub: string; topic: string },
  deps: PushDeps,
): Promise<PushStatus> {
  try {
    const now = deps.now();
    const sub = await deps.store.get(feedId);
    const same = sub && sub.hub === advertised.hub && sub.topic === advertised.topic;
    if (same && sub.state === "verified") return await renewIfDue(feedId, sub, deps);
    if (same && sub.state === "requested") {
      if (now - sub.requestedAt < VERIFY_TIMEOUT_MS) return { active: false };
      const asked = new Date(sub.requestedAt).toISOString();
      await fail(feedId, `hub ${sub.hub} never verified the subscription (asked ${asked})`, deps);
      return { active: false };
    }
    if (same && sub.state === "failed" && (sub.retryAt ?? 0) > now) return { active: false };
    await subscribe(feedId, advertised, randomBytes(24).toString("hex"), deps);
  } catch (err) {
    deps.log.warn({ feedId, err: (err as Error).message }, "WebSub subscription not kept up");
  }
  return { active: false };
}

/** A verified lease: kept until a tenth of it is left, then renewed with the same secret. */
async function renewIfDue(
  feedId: string,
  sub: PushSubscription,
  deps: PushDeps,
): Promise<PushStatus> {
  const now = deps.now();
  const renew = renewAt(sub) ?? now;
  if (now < renew) return { active: true, renewAt: renew };
  const expires = sub.leaseExpiresAt ?? now;
  const asked = sub.requestedAt > (sub.verifiedAt ?? 0);
  const waiting = asked && now - sub.requestedAt < VERIFY_TIMEOUT_MS;
  if (now >= expires && asked && !waiting) {
    await fail(feedId, `hub ${sub.hub} never verified the renewal; the lease ended`, deps);
    return { active: false };
  }
  if (!waiting) await subscribe(feedId, sub, sub.secret, deps);
  // Come back when the hub should have verified, or when the lease ends, whichever is first.
  return now < expires
    ? { active: true, renewAt: Math.min(expires, now + VERIFY_TIMEOUT_MS) }
    : { active: false };
}

/**
 * Sends hub.mode=subscribe (WebSub §5.1). The request is stored first: a hub may verify
 * before it even answers this POST, and the verification handler must find it.
 */
async function subscribe(
  feedId: string,
  target: { hub: string; topic: string },
  secret: string,
  deps: PushDeps,
): Promise<void> {
  const now = deps.now();
  await deps.store.update(feedId, {
    hub: target.hub,
    topic: target.topic,
    secret,
    requestedAt: now,
    // A renewal keeps "verified": pushes go on arriving while the hub re-verifies.
    ...((await deps.store.get(feedId))?.state === "verified" ? {} : { state: "requested" }),
    error: null,
    retryAt: null,
  });
  const form = new URLSearchParams({
    "hub.mode": "subscribe",
    "hub.topic": target.topic,
    "hub.callback": callbackUrl(deps.publicUrl, feedId, secret),
    "hub.secret": secret,
    "hub.lease_seconds": String(REQUESTED_LEASE_SECONDS),
  });
  try {
    const res = await deps.poster.post(
      target.hub,
      { "content-type": "application/x-www-form-urlencoded" },
      form.toString(),
      { timeoutMs: SUBSCRIBE_TIMEOUT_MS, signal: AbortSignal.timeout(SUBSCRIBE_TIMEOUT_MS) },
    );
    if (res.status < 200 || res.status >= 300) {
      const said = res.bodyStart.trim().slice(0, 200);
      await fail(
        feedId,
        `hub ${target.hub} refused the subscription: HTTP ${res.status}${said ? ` ${said}` : ""}`,
        deps,
      );
      return;
    }
    deps.log.info(
      { feedId, hub: target.hub, topic: target.topic },
      "WebSub subscription requested",
    );
  } catch (err) {
    await fail(feedId, `hub ${target.hub} could not be asked: ${(err as Error).message}`, deps);
  }
}

async function fail(feedId: string, error: string, deps: PushDeps): Promise<void> {
  deps.log.warn({ feedId, err: error }, "WebSub push not available; polling as usual");
  await deps.store.update(feedId, {
    state: "failed",
    error,
    retryAt: deps.now() + RETRY_AFTER_FAILURE_MS,
  });
}

/**
 * The hub's verification request (WebSub §5.3): confirmed, with the lease it grants, when it
 * names the topic we asked for; refused otherwise, so nobody can subscribe us to anything else.
 */
export async function verifyIntent(
  feedId: string,
  token: string,
  query: {
    mode?: string;
    topic?: string;
    challenge?: string;
    leaseSeconds?: string;
    reason?: string;
  },
  deps: Pick<PushDeps, "store" | "log" | "now">,
): Promise<{ status: number; body: string }> {
  const sub = await deps.store.get(feedId);
  if (!sub || !tokenMatches(sub, token) || query.topic !== sub.topic)
    return { status: 404, body: "no such subscription" };
  // Only an answer to a request of ours: a hub re-sending an old verification extends nothing.
  const asked = sub.state === "requested" || sub.requestedAt > (sub.verifiedAt ?? 0);
  if (!asked) return { status: 404, body: "no subscription request pending" };
  if (query.mode === "denied") {
    await deps.store.update(feedId, {
      state: "failed",
      error: `hub ${sub.hub} denied the subscription${query.reason ? `: ${query.reason}` : ""}`,
      retryAt: deps.now() + RETRY_AFTER_FAILURE_MS,
    });
    return { status: 200, body: "" };
  }
  if (query.mode !== "subscribe" || !query.challenge)
    return { status: 404, body: "unexpected mode" };
  const lease = Number(query.leaseSeconds);
  const now = deps.now();
  await deps.store.update(feedId, {
    state: "verified",
    verifiedAt: now,
    leaseExpiresAt:
      now + (Number.isFinite(lease) && lease > 0 ? lease : REQUESTED_LEASE_SECONDS) * 1000,
    error: null,
  });
  deps.log.info({ feedId, hub: sub.hub, leaseSeconds: lease }, "WebSub subscription verified");
  return { status: 200, body: query.challenge };
}

/** Whether a callback URL's token is this subscription's (compared in constant time). */
export function tokenMatches(sub: PushSubscription, token: string): boolean {
  const expected = Buffer.from(callbackToken(sub.secret));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
