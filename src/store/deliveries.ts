import type { DeliveryReceipt } from "../channels/channel.ts";
import type { RedisClient } from "../queue/connection.ts";
import type { Keys } from "./keys.ts";

/** One delivery attempt, as `newswatch deliveries` shows it. */
export interface DeliveryAttempt {
  deliveryId: string;
  messageId: string;
  subscriberId: string;
  channel: string;
  at: string;
  attempt: number;
  outcome: "sent" | "retrying" | "failed" | "skipped";
  detail: string;
}

/** Delivered records outlive any queue retention, so a job re-added months later cannot resend. */
const DELIVERED_TTL_SECONDS = 180 * 86_400;
/** The audit stream keeps about this many attempts (XADD MAXLEN ~). */
const AUDIT_LENGTH = 100_000;

/** KEYS: delivered record, audit stream. ARGV: receipt JSON, TTL, audit length, attempt fields. */
const RECORD_DELIVERED = `
redis.call("SET", KEYS[1], ARGV[1], "EX", ARGV[2])
redis.call("XADD", KEYS[2], "MAXLEN", "~", ARGV[3], "*", unpack(ARGV, 4))
`;

/** The durable record of what was delivered, and the audit trail of every attempt. */
export class DeliveryStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {}

  async receiptOf(deliveryId: string): Promise<DeliveryReceipt | null> {
    const raw = await this.redis.get(this.keys.delivered(deliveryId));
    return raw ? (JSON.parse(raw) as DeliveryReceipt) : null;
  }

  /**
   * The delivered record and the "sent" attempt of the audit trail in one Lua call: ioredis
   * costs per command more than per round trip (a MULTI of the two cost 0.1 ms more per
   * delivery than two commands, 3 Dec), and one script is one command; never one without the other.
   */
  async recordDelivered(receipt: DeliveryReceipt, attempt: DeliveryAttempt): Promise<void> {
    await this.redis.eval(
      RECORD_DELIVERED,
      2,
      this.keys.delivered(attempt.deliveryId),
      this.keys.attempts(),
      JSON.stringify(receipt),
      DELIVERED_TTL_SECONDS,
      AUDIT_LENGTH,
      ...attemptFields(attempt),
    );
  }

  async recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    await this.redis.xadd(
      this.keys.attempts(),
      "MAXLEN",
      "~",
      AUDIT_LENGTH,
      "*",
      ...attemptFields(attempt),
    );
  }

  /**
   * Newest first. `failedOnly` keeps every failed attempt (the audit of what went wrong);
   * `failedNow` keeps each delivery's latest attempt when that attempt failed, so a delivery
   * that later went through (`newswatch retry`) or is being retried is not listed.
   */
  async listAttempts(
    filter: {
      subscriberId?: string;
      failedOnly?: boolean;
      failedNow?: boolean;
      limit?: number;
    } = {},
  ): Promise<DeliveryAttempt[]> {
    const limit = filter.limit ?? 100;
    const out: DeliveryAttempt[] = [];
    const laterAttempt = new Set<string>();
    let end = "+";
    while (out.length < limit) {
      const batch = await this.redis.xrevrange(this.keys.attempts(), end, "-", "COUNT", 500);
      if (batch.length === 0) break;
      for (const [, fields] of batch) {
        const attempt = fromFields(fields);
        if (filter.subscriberId && attempt.subscriberId !== filter.subscriberId) continue;
        if (filter.failedOnly && attempt.outcome !== "failed") continue;
        if (filter.failedNow) {
          if (laterAttempt.has(attempt.deliveryId)) continue;
          laterAttempt.add(attempt.deliveryId);
          if (attempt.outcome !== "failed") continue;
        }
        out.push(attempt);
        if (out.length >= limit) break;
      }
      const lastId = batch[batch.length - 1]?.[0];
      if (!lastId || batch.length < 500) break;
      end = `(${lastId}`;
    }
    return out;
  }
}

function attemptFields(attempt: DeliveryAttempt): string[] {
  return Object.entries(attempt).flatMap(([k, v]) => [k, String(v)]);
}

function fromFields(fields: string[]): DeliveryAttempt {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2)
    record[fields[i] as string] = fields[i + 1] as string;
  return { ...(record as unknown as DeliveryAttempt), attempt: Number(record.attempt) };
}
