import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import type { Redis } from "ioredis";
import { hubSignature } from "../../src/websub/signature.ts";
import { callbackUrl } from "../../src/websub/subscription.ts";
import { feedBody } from "./feed-text.ts";

/** A free loopback port for the worker that serves the WebSub callback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Stands in for a hub that has verified subscriptions to feeds f0..f(n-1): each gets a
 * verified record with a secret, as the verification handshake leaves it (the handshake
 * itself is covered by test/integration/sources/websub.test.ts).
 */
export async function fakeVerifiedSubscriptions(
  redis: Redis,
  prefix: string,
  n: number,
): Promise<string[]> {
  const secrets: string[] = [];
  const now = Date.now();
  const pipe = redis.pipeline();
  for (let i = 0; i < n; i++) {
    const secret = randomBytes(24).toString("hex");
    secrets.push(secret);
    pipe.hset(`{${prefix}}:websub:f${i}`, {
      state: "verified",
      hub: "http://127.0.0.1:9/hub",
      topic: `bench-topic-${i}`,
      secret,
      requestedAt: now,
      verifiedAt: now,
      leaseExpiresAt: now + 86_400_000,
      pushes: 0,
    });
  }
  await pipe.exec();
  return secrets;
}

/** The document with only its first `n` items: a hub pushes what is new, not the whole page. */
function firstItems(rss: string, n: number): string {
  const [head, ...items] = rss.split("<item>");
  const kept = items.slice(0, n).map((item) => `<item>${item.replace(/<\/channel>.*$/s, "")}`);
  return `${head}${kept.join("")}</channel></rss>`;
}

/**
 * Pushes feed `index` at a version far beyond what polls have seen (so its items are new),
 * signed like a hub; resolves with when it was sent and how long the callback took to answer
 * (it processes the content before it does).
 */
export async function push(
  callbackBase: string,
  index: number,
  secret: string,
  version: number,
  perVersion: number,
): Promise<{ sentAt: number; answeredMs: number }> {
  // Dated now, as a hub pushes what was just published (dates before the last poll would look
  // like an identity change, which is recorded without alerting).
  const body = firstItems(feedBody(index, version, perVersion), perVersion).replace(
    /<pubDate>[^<]*<\/pubDate>/g,
    `<pubDate>${new Date().toUTCString()}</pubDate>`,
  );
  const sentAt = Date.now();
  const started = performance.now();
  const res = await fetch(callbackUrl(callbackBase, `f${index}`, secret), {
    method: "POST",
    headers: {
      "content-type": "application/rss+xml",
      "x-hub-signature": hubSignature(body, secret),
    },
    body,
  });
  await res.arrayBuffer();
  if (res.status !== 202) throw new Error(`push to f${index} answered ${res.status}`);
  return { sentAt, answeredMs: performance.now() - started };
}

/** The guid feedBody gives item k of feed `index` at `version`. */
export const pushedFeedOf = (itemId: string): number | null => {
  const m = /^f(\d+)-v1000000-\d+$/.exec(itemId);
  return m ? Number(m[1]) : null;
};
