import { expect, test } from "vitest";
import { tajiAlert } from "../fixtures/alerts.ts";
import { useCliWorld } from "../helpers/cli-world.ts";

const YAML = `
watchlists: [{ id: bases, title: Attacks on bases, query: rocket }]
subscribers: [{ id: desk, email: desk@example.org, watchlists: [bases] }]
`;

// Greylisting that outlasts the whole retry schedule and the command's wait.
const world = useCliWorld("retry", YAML, { rejectRcpt: 451 });

test("`newswatch retry` gives a delivery that used up its attempts a fresh schedule: still greylisted, it is left queued for the daemon instead of failing after one try", async () => {
  const { ctx, cli } = world;
  await world.failForGood({
    deliveryId: "a1.email",
    subscriberId: "desk",
    channel: "email",
    target: { address: "desk@example.org" },
    message: { kind: "alert", alert: tajiAlert({ id: "a1", subscriberId: "desk" }) },
  });
  expect((await ctx.queues.email.getJob("a1.email"))?.attemptsMade).toBe(9);

  const retried = await cli("retry", "a1");
  expect(retried.stdout).toContain("retried 1: 0 delivered, 1 failed");
  expect(retried.stdout).toMatch(/a1\.email: still retrying, left queued: .*451/);
  expect(retried.code).toBe(1);

  const job = await ctx.queues.email.getJob("a1.email");
  expect(await job?.getState()).toBe("delayed");
  expect(job?.attemptsMade).toBe(3);
});
