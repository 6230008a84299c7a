import { afterEach, beforeEach, expect, test } from "vitest";
import { DELIVERY_MAX_ATTEMPTS } from "../../../src/channels/retry-schedule.ts";
import { deliverNow } from "../../../src/cli/with-delivery-workers.ts";
import type { DeliverJob } from "../../../src/queue/jobs.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { tajiAlert } from "../../fixtures/alerts.ts";
import { testContext } from "../../helpers/context.ts";
import { dropPrefix, uniquePrefix } from "../../helpers/redis.ts";
import { type SmtpSink, startSmtpSink } from "../channels/smtp-sink.ts";

let prefix: string;
let ctx: AppContext;
let smtp: SmtpSink;

beforeEach(async () => {
  prefix = uniquePrefix("waiting-commands");
  // A greylisting server: refuses every message for longer than any command waits.
  smtp = await startSmtpSink({ rejectRcpt: 451 });
  ctx = await testContext(
    `email: { smtp: "${smtp.url}" }\nsubscribers: [{ id: desk, email: desk@example.org, watchlists: [w] }]\nwatchlists: [{ id: w, title: W, query: rocket }]\n`,
    prefix,
  );
});
afterEach(async () => {
  await ctx.close();
  await Promise.all([smtp.close(), dropPrefix(prefix)]);
});

const emailJob: DeliverJob = {
  deliveryId: "a1.email",
  subscriberId: "desk",
  channel: "email",
  target: { address: "desk@example.org" },
  message: { kind: "alert", alert: tajiAlert({ id: "a1", subscriberId: "desk" }) },
};

test("a greylisted message sent by a waiting command (digest --now, retry) is left queued on the normal schedule, not failed for good", async () => {
  const started = Date.now();
  const tally = await deliverNow(
    ctx,
    async () => {
      await ctx.queues.email.add("alert", emailJob, { jobId: emailJob.deliveryId });
      return [emailJob.deliveryId];
    },
    30_000, // the wait of `digest --now` and `retry`
  );
  // Its next attempt comes after the wait, so the command stops waiting at once.
  expect(Date.now() - started).toBeLessThan(15_000);
  expect(tally).toMatchObject({ delivered: 0, failed: 0, pending: 1 });
  expect(tally.failures[0]?.reason).toMatch(/^still retrying, left queued: .*451/);

  const job = await ctx.queues.email.getJob(emailJob.deliveryId);
  expect(await job?.getState()).toBe("delayed");
  // Quick retries spent only what the normal schedule spends in 30 s (1 s, 5 s); the next
  // is its 5 minutes (±20% jitter), and the daemon has the rest of the ~27 h schedule.
  expect(job?.attemptsMade).toBe(3);
  expect(job?.delay).toBeGreaterThanOrEqual(4 * 60_000);
  const audit = await ctx.stores.deliveries.listAttempts({ subscriberId: "desk" });
  expect(audit.map((a) => a.outcome)).toEqual(["retrying", "retrying", "retrying"]);
  expect(DELIVERY_MAX_ATTEMPTS - (job?.attemptsMade ?? 0)).toBe(6);
});
