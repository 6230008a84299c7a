import { beforeEach, expect, test } from "vitest";
import { startWorkers } from "../../workers/index.ts";
import { tajiAlert } from "../fixtures/alerts.ts";
import { useCliWorld } from "../helpers/cli-world.ts";

const YAML = `
watchlists: [{ id: bases, title: Attacks on bases, query: rocket }]
subscribers:
  - { id: desk, email: desk@example.org, watchlists: [bases] }
  - { id: siem, email: siem@example.org, webhook: { url: "https://hooks.example.org/in" }, watchlists: [bases] }
  - { id: left, email: left@example.org, watchlists: [bases] }
`;

const world = useCliWorld("reactivate", YAML);

beforeEach(async () => {
  // What the delivery worker records after an SMTP 550 and a webhook's 410.
  const { statuses } = world.ctx.stores;
  await statuses.set("desk", "suppressed", "550 No such user here");
  await statuses.disableChannel("siem", "webhook", "410 Gone");
  await statuses.set("left", "unsubscribed", "one-click unsubscribe");
});

const byId = (stdout: string) =>
  Object.fromEntries(
    stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .map((s) => [s.id, s]),
  );

test("`subscribers` shows channels that are off, and `--reactivate` turns a bounced address and a 410 webhook back on", async () => {
  const { ctx, cli, smtp } = world;
  const listed = await cli("subscribers");
  expect(listed.stdout).toMatch(/desk\s+suppressed .*desk@example\.org \(suppressed\)/);
  expect(listed.stdout).toMatch(/siem\s+active .*webhook hooks\.example\.org \(disabled\)/);
  const before = byId((await cli("subscribers", "--json")).stdout);
  expect(before.desk.disabledChannels).toEqual({ email: "550 No such user here" });
  expect(before.siem.disabledChannels).toEqual({ webhook: "410 Gone" });

  const hook = await cli("subscribers", "--reactivate", "siem", "--channel", "webhook");
  expect(hook.code).toBe(0);
  expect(hook.stdout).toContain("siem: webhook turned back on (status active)");
  const email = await cli("subscribers", "--reactivate", "desk");
  expect(email.stdout).toContain("desk: email turned back on (status active)");
  // Reactivating never subscribes someone who left.
  const left = await cli("subscribers", "--reactivate", "left");
  expect(left.stdout).toContain("left: nothing was off (status unsubscribed)");
  const unknown = await cli("subscribers", "--reactivate", "nobody");
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain("unknown subscriber nobody");

  const after = byId((await cli("subscribers", "--json")).stdout);
  expect([after.desk.status, after.desk.disabledChannels]).toEqual(["active", {}]);
  expect([after.siem.status, after.siem.disabledChannels]).toEqual(["active", {}]);
  expect(after.left.status).toBe("unsubscribed");

  // The next alert reaches the reactivated address.
  const workers = startWorkers(ctx, ["deliver"]);
  await ctx.queues.email.add(
    "alert",
    {
      deliveryId: "a1.email",
      subscriberId: "desk",
      channel: "email",
      target: { address: "desk@example.org" },
      message: { kind: "alert", alert: tajiAlert({ id: "a1", subscriberId: "desk" }) },
    },
    { jobId: "a1.email" },
  );
  for (let i = 0; i < 200 && smtp.received.length === 0; i++)
    await new Promise((r) => setTimeout(r, 50));
  await workers.close();
  expect(smtp.received.map((m) => m.rcptTo)).toEqual([["desk@example.org"]]);
}, 90_000);
