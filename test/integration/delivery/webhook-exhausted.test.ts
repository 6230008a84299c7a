import { afterEach, beforeEach, expect, test } from "vitest";
import { sendOnce } from "../../../src/delivery/send-once.ts";
import { silentLogger } from "../../../src/log.ts";
import { ADMIN_SUBSCRIBER } from "../../../src/model/subscriber.ts";
import type { DeliverJob } from "../../../src/queue/jobs.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { tajiAlert } from "../../fixtures/alerts.ts";
import { testContext } from "../../helpers/context.ts";
import { dropPrefix, uniquePrefix } from "../../helpers/redis.ts";
import { type Receiver, startReceiver, status } from "../channels/http-receiver.ts";

// Only the last attempt of the schedule switches a failing endpoint off, and never the
// admin's own: that is how the admin hears about everything else.
let prefix: string;
let ctx: AppContext;
let hook: Receiver;
const notices: string[] = [];

beforeEach(async () => {
  prefix = uniquePrefix("webhook-exhausted");
  hook = await startReceiver();
  hook.reply(status(503));
  ctx = await testContext("security: { allowPrivateNetworks: true }\n", prefix);
  notices.length = 0;
});
afterEach(async () => {
  await ctx.close();
  await Promise.all([hook.close(), dropPrefix(prefix)]);
});

const job = (subscriberId: string, id: string): DeliverJob => ({
  deliveryId: `${id}.webhook`,
  subscriberId,
  channel: "webhook",
  target: { url: `${hook.origin}/in`, format: "json" },
  message: { kind: "alert", alert: tajiAlert({ id, subscriberId }) },
});

async function attempt(j: DeliverJob, final: boolean) {
  const channels = ctx.createChannels();
  try {
    await sendOnce(j, { number: final ? 9 : 1, final }, AbortSignal.timeout(5000), {
      channels,
      deliveries: ctx.stores.deliveries,
      statuses: ctx.stores.statuses,
      links: ctx.links,
      timezoneOf: async () => "UTC",
      log: silentLogger,
      notifyChannelDisabled: async (id, channel, reason) => {
        notices.push(`${id}/${channel}: ${reason}`);
      },
    }).catch(() => undefined);
  } finally {
    await channels.closeAll();
  }
}

test("a failing endpoint stays on until the last attempt of its schedule, then is turned off once", async () => {
  await attempt(job("siem", "a1"), false);
  expect((await ctx.stores.statuses.get("siem")).disabledChannels).toEqual({});
  await attempt(job("siem", "a1"), true);
  expect((await ctx.stores.statuses.get("siem")).disabledChannels.webhook).toMatch(
    /^failed for its whole retry schedule: .*HTTP 503$/,
  );
  expect(notices).toHaveLength(1);
});

test("the admin's own webhook is never turned off by exhaustion", async () => {
  await attempt(job(ADMIN_SUBSCRIBER, "n1"), true);
  expect((await ctx.stores.statuses.get(ADMIN_SUBSCRIBER)).disabledChannels).toEqual({});
  expect(notices).toEqual([]);
});
