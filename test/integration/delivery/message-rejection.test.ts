import { afterEach, beforeEach, expect, test } from "vitest";
import { DeliveryError } from "../../../src/channels/delivery-error.ts";
import { sendOnce } from "../../../src/delivery/send-once.ts";
import { silentLogger } from "../../../src/log.ts";
import type { DeliverJob } from "../../../src/queue/jobs.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { tajiAlert } from "../../fixtures/alerts.ts";
import { testContext } from "../../helpers/context.ts";
import { dropPrefix, uniquePrefix } from "../../helpers/redis.ts";
import { type SmtpSink, startSmtpSink } from "../channels/smtp-sink.ts";

// A feed controls what goes into a message; a content filter answering 554 after DATA is
// refusing that content. Suppressing the address for it would let a feed switch off email.
let prefix: string;
let ctx: AppContext;
let smtp: SmtpSink;
const notices: string[] = [];

beforeEach(async () => {
  prefix = uniquePrefix("message-rejection");
  smtp = await startSmtpSink({ rejectData: 554 });
  ctx = await testContext(`email: { smtp: "${smtp.url}" }\n`, prefix);
  notices.length = 0;
});
afterEach(async () => {
  await ctx.close();
  await Promise.all([smtp.close(), dropPrefix(prefix)]);
});

const emailJob = (id: string): DeliverJob => ({
  deliveryId: `${id}.email`,
  subscriberId: "desk",
  channel: "email",
  target: { address: "desk@example.org" },
  message: { kind: "alert", alert: tajiAlert({ id }) },
});

test("a 554 after DATA fails that delivery permanently and the subscriber stays active", async () => {
  const channels = ctx.createChannels();
  const deps = {
    channels,
    deliveries: ctx.stores.deliveries,
    statuses: ctx.stores.statuses,
    links: ctx.links,
    timezoneOf: async () => "UTC",
    log: silentLogger,
    notifyChannelDisabled: async (id: string, channel: string, reason: string) => {
      notices.push(`${id}/${channel}: ${reason}`);
    },
  };
  const attempt = { number: 1, final: false };
  for (const id of ["a1", "a2"]) {
    const error = await sendOnce(emailJob(id), attempt, AbortSignal.timeout(5000), deps).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ permanent: true });
  }
  expect((await ctx.stores.statuses.get("desk")).status).toBe("active");
  expect(notices).toEqual([]);
  const failed = await ctx.stores.deliveries.listAttempts({ failedOnly: true });
  // The second alert was still tried (not skipped as suppressed), and both failures are audited.
  expect(failed.map((a) => a.deliveryId).sort()).toEqual(["a1.email", "a2.email"]);
  await channels.closeAll();
});
