import { afterEach, beforeEach, expect, test } from "vitest";
import { sendDigest } from "../../../src/digest/send-digest.ts";
import { silentLogger } from "../../../src/log.ts";
import type { Subscriber } from "../../../src/model/subscriber.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { tajiAlert } from "../../fixtures/alerts.ts";
import { testContext } from "../../helpers/context.ts";
import { dropPrefix, uniquePrefix } from "../../helpers/redis.ts";

let prefix: string;
let ctx: AppContext;
const desk: Subscriber = {
  id: "desk",
  email: "desk@example.org",
  mode: "digest",
  schedule: "0 7 * * *",
  timezone: "Asia/Baghdad",
  watchlists: [{ id: "iraq-base-attacks", mode: "digest" }],
  source: "config",
};

beforeEach(async () => {
  prefix = uniquePrefix("digest");
  ctx = await testContext("feeds: []\n", prefix);
});
afterEach(async () => {
  await ctx.close();
  await dropPrefix(prefix);
});

const deps = () => ({
  redis: ctx.redis,
  keys: ctx.keys,
  pending: ctx.stores.pending,
  enqueue: ctx.enqueue,
  log: silentLogger,
});

test("a period's digest is queued once even when two schedulers' jobs both run, and alerts arriving later wait for the next period", async () => {
  await ctx.stores.pending.add("desk", "digest", tajiAlert({ id: "a1" }));
  await ctx.stores.pending.add("desk", "digest", tajiAlert({ id: "a2" }));
  const [first, second] = await Promise.all([
    sendDigest(desk, "digest", "at-1000", "label", deps()),
    sendDigest(desk, "digest", "at-1000", "label", deps()),
  ]);
  const statuses = [first.status, second.status].sort();
  expect(statuses.filter((s) => s === "queued")).toHaveLength(1);
  const jobs = await ctx.queues.email.getJobs(["waiting"]);
  expect(jobs).toHaveLength(1);
  expect(jobs[0]?.data.message.digest.sections[0].alerts.map((a: { id: string }) => a.id)).toEqual([
    "a1",
    "a2",
  ]);

  await ctx.stores.pending.add("desk", "digest", tajiAlert({ id: "a3" }));
  expect((await sendDigest(desk, "digest", "at-1000", "label", deps())).status).toBe(
    "already-sent",
  );
  const next = await sendDigest(desk, "digest", "at-2000", "label", deps());
  expect(next).toMatchObject({ status: "queued", entries: 1 });
});

test("an empty period sends nothing", async () => {
  const outcome = await sendDigest(desk, "digest", "at-3000", "label", deps());
  expect(outcome).toMatchObject({ status: "empty", entries: 0, deliveryIds: [] });
  expect(await ctx.queues.email.getJobs(["waiting"])).toHaveLength(0);
});
