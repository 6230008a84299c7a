import { CHANNELS, channelModule } from "../channels/registry.ts";
import type { Subscriber } from "../model/subscriber.ts";
import type { StatusRecord } from "../store/subscriber-status.ts";

/**
 * The channels that are off, with why: an address suppressed after an SMTP 5xx stops the
 * suppressible channel (email; a bounce says nothing of the person's webhook), and a channel
 * disabled at run time (a webhook's 410) stops that channel.
 */
export function channelsOff(record: StatusRecord): Record<string, string> {
  const suppressed =
    record.status === "suppressed"
      ? CHANNELS.filter((c) => c.suppressible).map((c) => [c.kind, record.reason ?? "suppressed"])
      : [];
  return { ...Object.fromEntries(suppressed), ...record.disabledChannels };
}

/**
 * Why a channel cannot reach this subscriber now, or null when it can. The one rule planning
 * (reachableSubscriber), the delivery worker (for jobs queued before a status changed) and
 * `newswatch subscribers` share: people who have not confirmed, left or paused get nothing;
 * otherwise only the channels that are off are stopped.
 */
export function channelBlocked(record: StatusRecord, channel: string): string | null {
  if (record.status !== "active" && record.status !== "suppressed")
    return `subscriber is ${record.status}`;
  if (record.status === "suppressed" && channelModule(channel)?.suppressible)
    return "subscriber is suppressed (the address bounced)";
  const disabled = record.disabledChannels[channel];
  return disabled ? `${channel} channel disabled: ${disabled}` : null;
}

/** The subscriber with only the channels that can reach them (see channelBlocked), or null. */
export function reachableSubscriber(sub: Subscriber, record: StatusRecord): Subscriber | null {
  const reachable: Record<string, unknown> = { ...sub };
  let on = 0;
  for (const { kind } of CHANNELS) {
    if (reachable[kind] !== undefined && channelBlocked(record, kind) === null) on++;
    else delete reachable[kind];
  }
  return on > 0 ? (reachable as unknown as Subscriber) : null;
}
