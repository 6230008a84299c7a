import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { hubSignature } from "../../src/websub/signature.ts";

export interface Subscription {
  topic: string;
  callback: string;
  secret: string;
  leaseSeconds: number;
}

export interface TestHub {
  url: string;
  /** Subscription requests received, in order. */
  requests: Subscription[];
  /** Verified subscriptions by topic (the callback echoed the challenge). */
  verified: Map<string, Subscription>;
  /** Resolves once a subscription for `topic` has been verified. */
  whenVerified(topic: string): Promise<Subscription>;
  /** Pushes `body` to the topic's subscriber, signed (or with the given signature); the status. */
  publish(topic: string, body: string, opts?: { signature?: string }): Promise<number>;
  close(): Promise<void>;
}

/**
 * A small WebSub hub on loopback: accepts hub.mode=subscribe (202), then verifies intent
 * with a GET carrying a random challenge, as W3C WebSub §5.3 describes. With
 * `verify: false` it accepts requests and never verifies (a broken hub).
 */
export async function startTestHub(
  opts: { verify?: boolean; leaseSeconds?: number } = {},
): Promise<TestHub> {
  const requests: Subscription[] = [];
  const verified = new Map<string, Subscription>();
  const waiters: { topic: string; resolve: (s: Subscription) => void }[] = [];
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => (raw += d));
    req.on("end", () => {
      const form = new URLSearchParams(raw);
      if (req.method !== "POST" || form.get("hub.mode") !== "subscribe") {
        res.writeHead(400).end("bad request");
        return;
      }
      const sub: Subscription = {
        topic: form.get("hub.topic") ?? "",
        callback: form.get("hub.callback") ?? "",
        secret: form.get("hub.secret") ?? "",
        leaseSeconds: opts.leaseSeconds ?? 3600,
      };
      requests.push(sub);
      res.writeHead(202).end();
      if (opts.verify !== false) void verify(sub);
    });
  });

  async function verify(sub: Subscription): Promise<void> {
    const challenge = randomBytes(12).toString("hex");
    const url = new URL(sub.callback);
    url.searchParams.set("hub.mode", "subscribe");
    url.searchParams.set("hub.topic", sub.topic);
    url.searchParams.set("hub.challenge", challenge);
    url.searchParams.set("hub.lease_seconds", String(sub.leaseSeconds));
    const res = await fetch(url);
    if (res.status === 200 && (await res.text()) === challenge) {
      verified.set(sub.topic, sub);
      for (const w of waiters.splice(0)) {
        if (w.topic === sub.topic) w.resolve(sub);
        else waiters.push(w);
      }
    }
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    verified,
    whenVerified: (topic) => {
      const done = verified.get(topic);
      if (done) return Promise.resolve(done);
      return new Promise((resolve) => waiters.push({ topic, resolve }));
    },
    publish: async (topic, body, publishOpts = {}) => {
      const sub = verified.get(topic);
      if (!sub) throw new Error(`no verified subscription for ${topic}`);
      const res = await fetch(sub.callback, {
        method: "POST",
        headers: {
          "content-type": "application/rss+xml",
          "x-hub-signature": publishOpts.signature ?? hubSignature(body, sub.secret),
          link: `<${topic}>; rel="self"`,
        },
        body,
      });
      await res.arrayBuffer();
      return res.status;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
