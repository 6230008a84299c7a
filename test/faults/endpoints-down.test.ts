import { expect, test } from "vitest";
import { rssFeed } from "../fixtures/stories/wire.ts";
import {
  duplicates,
  logLines,
  matchingStories,
  running,
  seedDue,
  spawnRole,
  stop,
  useFaultWorld,
  waitFor,
  writeConfig,
} from "./harness.ts";

const ALERTS = 6;

const world = useFaultWorld("down", { mail: true });

test("the SMTP server down and the webhook endpoint failing: both retried, and after recovery each alert arrives once", async () => {
  const { feeds, hook, mail, dir, prefix } = world;
  feeds.serve("/wire.xml", rssFeed("Wire", feeds.origin, matchingStories(ALERTS, "down")));
  await mail.down();
  hook.failWith = 503;
  const config = await writeConfig(dir, {
    feeds: [{ id: "wire", url: `${feeds.origin}/wire.xml`, every: "1h" }],
    webhookUrl: hook.url,
    email: "desk@example.org",
  });
  await seedDue(prefix, ["wire"]);
  const daemon = spawnRole(["start"], { config, prefix, cwd: dir, env: { SMTP_URL: mail.url } });
  world.processes.push(daemon);
  await running(daemon);

  const failures = (channel: string) =>
    logLines(daemon).filter(
      (l) => l.msg === "delivery failed, will retry" && String(l.deliveryId).endsWith(channel),
    );
  // Each alert fails at least twice on each channel while the outage lasts.
  await waitFor(
    "repeated failures on both channels",
    () => failures(".webhook").length >= 2 * ALERTS && failures(".email").length >= 2 * ALERTS,
    20_000,
    () => daemon.output(),
  );
  expect(mail.messageIds).toEqual([]);
  expect(hook.accepted).toEqual([]);
  expect(failures(".email")[0]?.err).toMatch(/ECONNREFUSED|connect/i);
  expect(failures(".webhook")[0]?.err).toMatch(/503/);
  expect(logLines(daemon).some((l) => l.msg === "delivery failed for good")).toBe(false);

  await mail.up();
  hook.failWith = 0;
  await waitFor(
    "every alert on both channels",
    () => new Set(hook.accepted).size === ALERTS && new Set(mail.messageIds).size === ALERTS,
    30_000,
    () => `${hook.accepted.length} webhooks, ${mail.messageIds.length} emails\n${daemon.output()}`,
  );
  await new Promise((r) => setTimeout(r, 1000));
  expect(duplicates(hook.accepted)).toEqual([]);
  expect(duplicates(mail.messageIds)).toEqual([]);
  // Every retry of an alert carried the same webhook-id as its first attempt.
  expect(new Set(hook.received).size).toBe(ALERTS);
  expect(await stop(daemon)).toBe(0);
}, 60_000);
