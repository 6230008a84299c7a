import { afterEach, beforeEach, expect, test } from "vitest";
import type { DeliverJob } from "../../../src/queue/jobs.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { type RunningWorkers, startWorkers } from "../../../workers/index.ts";
import { tajiAlert } from "../../fixtures/alerts.ts";
import { testContext } from "../../helpers/context.ts";
import { dropPrefix, uniquePrefix } from "../../helpers/redis.ts";
import { type SmtpSink, startSmtpSink } from "../channels/smtp-sink.ts";

// A burst through the real pool and the real limiter keeps the provider's two limits.
let prefix: string;
let ctx: AppContext | undefined;
let smtp: SmtpSink;
let running: RunningWorkers | undefined;
beforeEach(async () => {
  prefix = uniquePrefix("email-burst");
  smtp = await startSmtpSink();
});
afterEach(async () => {
  await running?.close();
  running = undefined;
  await ctx?.close();
  ctx = undefined;
  await Promise.all([smtp.close(), dropPrefix(prefix)]);
});

/** Queues `count` alerts to distinct readers at once, starts the workers, waits for them all. */
async function burst(email: string, count: number): Promise<void> {
  const opened = await testContext(`email: { smtp: "${smtp.url}", ${email} }\n`, prefix);
  ctx = opened;
  const jobs = Array.from({ length: count }, (_, i): DeliverJob => {
    const id = `a${i}`;
    return {
      deliveryId: `${id}.email`,
      subscriberId: `s${i}`,
      channel: "email",
      target: { address: `reader${i}@example.org` },
      message: { kind: "alert", alert: tajiAlert({ id, subscriberId: `s${i}` }) },
    };
  });
  await opened.queues.email.addBulk(
    jobs.map((job) => ({ name: "alert", data: job, opts: { jobId: job.deliveryId } })),
  );
  running = startWorkers(opened, ["deliver"]);
  const deadline = Date.now() + 60_000;
  while (smtp.received.length < count && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  expect(smtp.received).toHaveLength(count);
  expect(new Set(smtp.received.map((m) => m.rcptTo[0])).size).toBe(count);
}

test("a burst of 200 alerts with 16 delivery workers uses at most email.maxConnections connections", async () => {
  await burst("maxConnections: 2", 200);
  expect(smtp.connections.max).toBeLessThanOrEqual(2);
  expect(smtp.connections.max).toBeGreaterThan(0);
}, 90_000);

test("a burst of 40 alerts at email.ratePerSecond 5 is spread over at least 7 seconds", async () => {
  await burst("ratePerSecond: 5", 40);
  // Five per one-second window: the eighth window opens 7 s after the first.
  const span = (smtp.receivedAt.at(-1) ?? 0) - (smtp.receivedAt[0] ?? 0);
  expect(span).toBeGreaterThanOrEqual(7000 * 0.95);
}, 90_000);
