import { afterEach, beforeEach, expect, test } from "vitest";
import type { DeliverJob } from "../../../src/queue/jobs.ts";
import { tajiAlert } from "../../fixtures/alerts.ts";
import { ADMIN_TOKEN, startWeb, type WebHarness } from "./web-harness.ts";

let web: WebHarness;
beforeEach(async () => {
  web = await startWeb();
});
afterEach(async () => web.close());

test("deleting an API subscription stops its queued alerts and drops its pending digest", async () => {
  const sub = await web.subscriptions.create({
    email: "analyst@example.org",
    watchlists: [{ id: "iraq-base-attacks", mode: "both" }],
    mode: "both",
    schedule: "0 7 * * *",
    timezone: "UTC",
  });
  await web.ctx.stores.statuses.set(sub.id, "active", "confirmed");
  const alert = tajiAlert({ id: "a1", subscriberId: sub.id });
  await web.ctx.stores.pending.add(sub.id, "digest", alert);
  await web.ctx.stores.pending.add(sub.id, "held", alert);
  // An alert already queued (or waiting for its next retry) when the admin deletes.
  const job: DeliverJob = {
    deliveryId: "a1.email",
    subscriberId: sub.id,
    channel: "email",
    target: { address: "analyst@example.org" },
    message: { kind: "alert", alert },
  };
  await web.ctx.queues.email.add("alert", job, { jobId: job.deliveryId });

  const gone = await web.app.inject({
    method: "DELETE",
    url: `/api/subscriptions/${sub.id}`,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(gone.statusCode).toBe(204);

  web.startDeliveryWorkers();
  const deadline = Date.now() + 10_000;
  while ((await web.ctx.queues.email.getJobState(job.deliveryId)) !== "completed") {
    if (Date.now() > deadline) throw new Error("the queued alert was not processed");
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(web.smtp.received).toHaveLength(0);
  const [attempt] = await web.ctx.stores.deliveries.listAttempts({ subscriberId: sub.id });
  expect(attempt).toMatchObject({ outcome: "skipped", detail: "subscriber is unsubscribed" });
  expect(await web.ctx.stores.pending.count(sub.id, "digest")).toBe(0);
  expect(await web.ctx.stores.pending.count(sub.id, "held")).toBe(0);

  // The address is free again: signing up afresh makes a new, unconfirmed subscription.
  const again = await web.app.inject({
    method: "POST",
    url: "/api/subscriptions",
    payload: { email: "analyst@example.org", watchlists: ["iraq-base-attacks"] },
  });
  expect(again.statusCode).toBe(202);
  const [fresh] = await web.subscriptions.list();
  expect(fresh?.id).not.toBe(sub.id);
});
