import { afterAll, expect, test } from "vitest";
import type { DeliverJob } from "../../src/queue/jobs.ts";
import type { AppContext } from "../../src/runtime/context.ts";
import { startWorkers } from "../../workers/index.ts";
import { tajiAlert } from "../fixtures/alerts.ts";
import { useCliWorld } from "../helpers/cli-world.ts";
import { startReceiver, status } from "../integration/channels/http-receiver.ts";

// The config names the receiver's port, so the receiver starts before the world is set up.
const hook = await startReceiver();
afterAll(() => hook.close());

const world = useCliWorld(
  "webhook-off",
  `
security: { allowPrivateNetworks: true }
admin: { email: [ops@example.org] }
watchlists: [{ id: bases, title: Attacks on bases, query: rocket }]
subscribers:
  - { id: siem, webhook: { url: "${hook.origin}/in" }, watchlists: [bases] }
`,
);

const webhookJob = (id: string): DeliverJob => ({
  deliveryId: `${id}.webhook`,
  subscriberId: "siem",
  channel: "webhook",
  target: { url: `${hook.origin}/in`, format: "json" },
  message: { kind: "alert", alert: tajiAlert({ id, subscriberId: "siem" }) },
});

/** Queues the jobs and waits until nothing is left to run on either delivery queue. */
async function deliverAll(ctx: AppContext, jobs: DeliverJob[]): Promise<void> {
  const workers = startWorkers(ctx, ["deliver"], { retryDelayMs: () => 1 });
  try {
    for (const job of jobs) await ctx.queues.deliver.add("alert", job, { jobId: job.deliveryId });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const counts = await Promise.all(
        [ctx.queues.deliver, ctx.queues.email].map((q) =>
          q.getJobCounts("waiting", "active", "delayed", "prioritized"),
        ),
      );
      if (counts.every((c) => Object.values(c).every((n) => n === 0))) break;
      if (Date.now() > deadline) throw new Error("deliveries did not settle in time");
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await workers.close();
  }
}

const adminNotices = () => world.smtp.received.filter((m) => m.rcptTo.includes("ops@example.org"));

test("a 410 after `subscribers --reactivate` disables the webhook again and tells the admin again", async () => {
  const { ctx, cli } = world;
  hook.reply(status(410));
  await deliverAll(ctx, [webhookJob("a1")]);
  expect(adminNotices()).toHaveLength(1);

  expect((await cli("subscribers", "--reactivate", "siem")).code).toBe(0);
  await deliverAll(ctx, [webhookJob("a2")]);
  expect((await ctx.stores.statuses.get("siem")).disabledChannels.webhook).toMatch(/410/);
  expect(adminNotices()).toHaveLength(2);
  expect(adminNotices().map((m) => m.parsed.subject)).toEqual([
    "[newswatch] your webhook endpoint was turned off",
    "[newswatch] your webhook endpoint was turned off",
  ]);
}, 90_000);

test("a webhook failing for its whole retry schedule is disabled, the admin is told once, and `retry` replays it once fixed", async () => {
  const { ctx, cli } = world;
  hook.reply(status(503));
  await deliverAll(ctx, [webhookJob("a1"), webhookJob("a2")]);
  const record = await ctx.stores.statuses.get("siem");
  expect(record.disabledChannels.webhook).toMatch(/^failed for its whole retry schedule: .*503/);
  expect(adminNotices()).toHaveLength(1);
  expect(adminNotices()[0]?.parsed.text).toContain("newswatch retry --all-failed");
  expect(await ctx.queues.deliver.getJobState("a1.webhook")).toBe("failed");

  // Once the endpoint works and is turned back on, the failed delivery goes out.
  hook.reply(status(200));
  const before = hook.received.length;
  expect((await cli("subscribers", "--reactivate", "siem")).code).toBe(0);
  const retried = await cli("retry", "a1");
  expect(retried.stdout).toContain("retried 1: 1 delivered, 0 failed");
  expect(hook.received.slice(before).map((r) => r.headers["webhook-id"])).toEqual(["a1"]);
}, 90_000);

test("two deliveries answered 410 disable the endpoint once and send one notice", async () => {
  hook.reply(status(410));
  await deliverAll(world.ctx, [webhookJob("a1"), webhookJob("a2")]);
  expect(adminNotices()).toHaveLength(1);
}, 60_000);
