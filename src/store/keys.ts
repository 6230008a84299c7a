/**
 * Every key and queue lives under one hash-tagged prefix, `{prefix}`: Redis Cluster then
 * stores them in one slot, which BullMQ's multi-key Lua scripts require (BullMQ guide,
 * "Redis Cluster"), and several newswatch installations can share one Redis.
 */
export function keyPrefix(prefix: string): string {
  return `{${prefix}}`;
}

/** Builds Redis key names for newswatch's own state, all under the same hash tag. */
export class Keys {
  readonly base: string;
  constructor(prefix: string) {
    this.base = keyPrefix(prefix);
  }
  feedState(feedId: string) {
    return `${this.base}:feed:${feedId}`;
  }
  /** A feed's WebSub subscription (hub, topic, secret, lease). */
  websub(feedId: string) {
    return `${this.base}:websub:${feedId}`;
  }
  seen(feedId: string, itemKey: string) {
    return `${this.base}:seen:${feedId}:${itemKey}`;
  }
  storyByUrl(urlKey: string) {
    return `${this.base}:story:url:${urlKey}`;
  }
  storyByTitle(titleKey: string) {
    return `${this.base}:story:title:${titleKey}`;
  }
  storySources(storyId: string) {
    return `${this.base}:story:${storyId}:sources`;
  }
  /** What grouping compares a new report with (see src/dedupe/incident-match.ts). */
  storyProfile(storyId: string) {
    return `${this.base}:story:${storyId}:profile`;
  }
  /** Stories naming a place, name or event (hashed), scored by their first report's time. */
  storiesByTerm(termKey: string) {
    return `${this.base}:story:term:${termKey}`;
  }
  /** An alert waiting for a second outlet (minSources), as its planned JSON. */
  corroborating(alertId: string) {
    return `${this.base}:corroborating:${alertId}`;
  }
  /** Set while the admin has been told of a feed's burst (once a day). */
  burstNotice(feedId: string) {
    return `${this.base}:burst-notice:${feedId}`;
  }
  /** Per subscriber and story: the last immediate update's time (updateInterval). */
  storyUpdateSent(subscriberId: string, storyId: string) {
    return `${this.base}:story-update:${subscriberId}:${storyId}`;
  }
  /** A chat service's id for an alert's message, so its story's updates reply in that thread. */
  threadRef(key: string) {
    return `${this.base}:thread-ref:${key}`;
  }
  delivered(deliveryId: string) {
    return `${this.base}:delivered:${deliveryId}`;
  }
  attempts() {
    return `${this.base}:attempts`;
  }
  recentItems() {
    return `${this.base}:recent`;
  }
  digestPending(subscriberId: string) {
    return `${this.base}:digest:${subscriberId}`;
  }
  digestSent(digestId: string) {
    return `${this.base}:digest-sent:${digestId}`;
  }
  subscriberState(subscriberId: string) {
    return `${this.base}:subscriber:${subscriberId}`;
  }
  pollClaim(feedId: string, due: number) {
    return `${this.base}:poll-claim:${feedId}:${due}`;
  }
  /** Set once an alert has been routed (sent, filed for a digest or held): see QueueDispatcher. */
  routed(alertId: string) {
    return `${this.base}:routed:${alertId}`;
  }
  rate(subscriberId: string, hour: number) {
    return `${this.base}:rate:${subscriberId}:${hour}`;
  }
  digestClaim(digestId: string) {
    return `${this.base}:digest-sent:${digestId}:claim`;
  }
  digestBatch(digestId: string) {
    return `${this.base}:digest-batch:${digestId}`;
  }
  feedDaily(feedId: string) {
    return `${this.base}:feed-daily:${feedId}`;
  }
  linkSecret() {
    return `${this.base}:link-secret`;
  }
  apiSubscriptions() {
    return `${this.base}:api-subscriptions`;
  }
  apiSubscriptionEmails() {
    return `${this.base}:api-subscription-emails`;
  }
  apiWatchlists() {
    return `${this.base}:api-watchlists`;
  }
  /** What an alert was about (title, link, time, text), kept for its feedback links. */
  feedbackAlert(alertId: string) {
    return `${this.base}:feedback-alert:${alertId}`;
  }
  /** One watchlist's votes: alert id → the vote with its alert's title, link and time. */
  feedbackVotes(watchlistId: string) {
    return `${this.base}:feedback:${watchlistId}`;
  }
  /** Prefix of the HTTP rate limiter's counters (@fastify/rate-limit's nameSpace). */
  rateLimitNamespace() {
    return `${this.base}:rate-limit:`;
  }
}
