import { expect, test } from "vitest";
import { startScheduler } from "../../../src/scheduler/scheduler.ts";
import { tajiAlert } from "../../fixtures/alerts.ts";
import { useTestContexts } from "../../helpers/context.ts";

const YAML = `
watchlists:
  - { id: w, title: W, query: rocket }
subscribers:
  - { id: busy, email: busy@example.org, schedule: "0 7 * * *", watchlists: [w] }
  - { id: calm, email: calm@example.org, schedule: "0 7 * * *", watchlists: [w] }
  - { id: asked, email: asked@example.org, updates: digest, schedule: "0 7 * * *", watchlists: [w] }
`;

const contexts = useTestContexts("overflow-digest");

test("an immediate-only subscriber gets a digest when the default storm cap or a story update filed something, and none otherwise", async () => {
  const ctx = await contexts.open(YAML);
  await ctx.stores.pending.add(
    "busy",
    "digest",
    tajiAlert({ id: "over-cap", subscriberId: "busy" }),
  );
  const now = Date.parse("2026-11-26T07:00:20Z");
  const scheduler = startScheduler(ctx, { now: () => now });
  await scheduler.tick();
  await scheduler.stop();
  const digests = await ctx.queues.digest.getJobs(["waiting", "delayed"]);
  expect(digests.map((j) => j.data.subscriberId).sort()).toEqual(["asked", "busy"]);
});
