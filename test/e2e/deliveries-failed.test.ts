import { expect, test } from "vitest";
import type { DeliverJob } from "../../src/queue/jobs.ts";
import { tajiAlert } from "../fixtures/alerts.ts";
import { useCliWorld } from "../helpers/cli-world.ts";

const YAML = `
watchlists: [{ id: bases, title: Attacks on bases, query: rocket }]
subscribers: [{ id: desk, email: desk@example.org, watchlists: [bases] }]
`;

// Greylists through a delivery's whole schedule (9 attempts), then accepts.
const world = useCliWorld("failed", YAML, { rejectRcpt: 451, rejectTimes: 9 });

const lines = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));

test("`deliveries --failed` lists what is failed now: a delivery sent by `retry` drops off, `--failed --all` keeps its failed attempt", async () => {
  const job: DeliverJob = {
    deliveryId: "a1.email",
    subscriberId: "desk",
    channel: "email",
    target: { address: "desk@example.org" },
    message: { kind: "alert", alert: tajiAlert({ id: "a1", subscriberId: "desk" }) },
  };
  const { cli, smtp } = world;
  await world.failForGood(job);

  const before = lines((await cli("deliveries", "--failed", "--json")).stdout);
  expect(before.map((a) => [a.deliveryId, a.outcome])).toEqual([["a1.email", "failed"]]);

  const retried = await cli("retry", "a1");
  expect(retried.stdout).toContain("retried 1: 1 delivered, 0 failed");
  expect(smtp.received).toHaveLength(1);

  const now = await cli("deliveries", "--failed");
  expect(now.code).toBe(0);
  expect(now.stdout).not.toContain("a1.email");
  expect(lines((await cli("deliveries", "--failed", "--json")).stdout)).toEqual([]);

  const history = lines((await cli("deliveries", "--failed", "--all", "--json")).stdout);
  expect(history.map((a) => [a.deliveryId, a.outcome])).toEqual([["a1.email", "failed"]]);
  const all = lines((await cli("deliveries", "--json")).stdout);
  expect(all[0]).toMatchObject({ deliveryId: "a1.email", outcome: "sent" });
}, 90_000);
