import { afterEach, beforeEach, expect, test } from "vitest";
import { DeliveryError } from "../../../src/channels/delivery-error.ts";
import { SkippedDelivery, sendOnce } from "../../../src/delivery/send-once.ts";
import { silentLogger } from "../../../src/log.ts";
import type { DeliverJob } from "../../../src/queue/jobs.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { tajiAlert } from "../../fixtures/alerts.ts";
import { testContext } from "../../helpers/context.ts";
import { dropPrefix, uniquePrefix } from "../../helpers/redis.ts";
import { type Receiver, startReceiver, status } from "../channels/http-receiver.ts";
import { type SmtpSink, startSmtpSink } from "../channels/smtp-sink.ts";

let prefix: string;
let ctx: AppContext;
let hook: Receiver;
let smtp: SmtpSink;
const notices: string[] = [];

beforeEach(async () => {
  prefix = uniquePrefix("send-once");
  [hook, smtp] = await Promise.all([startReceiver(), startSmtpSink({ rejectRcpt: 550 })]);
  ctx = await testContext(
    `email: { smtp: "${smtp.url}" }\nsecurity: { allowPrivateNetworks: true }\n`,
    prefix,
  );
  notices.length = 0;
});
afterEach(async () => {
  await ctx.close();
  await Promise.all([hook.close(), smtp.close(), dropPrefix(prefix)]);
});

function deps() {
  return {
    channels: ctx.createChannels(),
    deliveries: ctx.stores.deliveries,
    statuses: ctx.stores.statuses,
    links: ctx.links,
    timezoneOf: async () => "UTC",
    log: silentLogger,
    notifyChannelDisabled: async (id: string, channel: string, reason: string) => {
      notices.push(`${id}/${channel}: ${reason}`);
    },
  };
}

const webhookJob = (id = "a1"): DeliverJob => ({
  deliveryId: `${id}.webhook`,
  subscriberId: "siem",
  channel: "webhook",
  target: { url: `${hook.origin}/hook`, format: "json" },
  message: { kind: "alert", alert: tajiAlert({ id, subscriberId: "siem" }) },
});
const attempt = { number: 1, final: false };
const signal = () => AbortSignal.timeout(5000);

test("a delivered message is never sent again, even when its job runs twice", async () => {
  const d = deps();
  await sendOnce(webhookJob(), attempt, signal(), d);
  await sendOnce(webhookJob(), attempt, signal(), d);
  expect(hook.received).toHaveLength(1);
  const audit = await ctx.stores.deliveries.listAttempts();
  expect(audit.map((a) => a.outcome)).toEqual(["sent"]);
  await d.channels.closeAll();
});

test("an unsubscribed subscriber is skipped and the skip is audited", async () => {
  await ctx.stores.statuses.set("siem", "unsubscribed", "one-click");
  const d = deps();
  const result = await sendOnce(webhookJob(), attempt, signal(), d);
  expect(result).toBeInstanceOf(SkippedDelivery);
  expect(hook.received).toHaveLength(0);
  expect((await ctx.stores.deliveries.listAttempts())[0]).toMatchObject({
    outcome: "skipped",
    detail: "subscriber is unsubscribed",
  });
  await d.channels.closeAll();
});

test("a 410 disables the endpoint once: later alerts are skipped, and the subscriber is told once", async () => {
  hook.reply(status(410));
  const d = deps();
  await expect(sendOnce(webhookJob("a1"), attempt, signal(), d)).rejects.toMatchObject({
    permanent: true,
    targetAction: "disable",
  });
  await expect(sendOnce(webhookJob("a2"), attempt, signal(), d)).resolves.toBeInstanceOf(
    SkippedDelivery,
  );
  expect(hook.received).toHaveLength(1);
  expect(notices).toHaveLength(1);
  await d.channels.closeAll();
});

test("an SMTP 550 is permanent, suppresses the address and reports it once", async () => {
  const d = deps();
  const job: DeliverJob = {
    deliveryId: "a1.email",
    subscriberId: "desk",
    channel: "email",
    target: { address: "gone@example.org" },
    message: { kind: "alert", alert: tajiAlert({ id: "a1" }) },
  };
  const error = await sendOnce(job, attempt, signal(), d).catch((e) => e);
  expect(error).toBeInstanceOf(DeliveryError);
  expect(error.permanent).toBe(true);
  expect((await ctx.stores.statuses.get("desk")).status).toBe("suppressed");
  expect(notices).toEqual([expect.stringMatching(/^desk\/email: address suppressed: /)]);
  expect((await ctx.stores.deliveries.listAttempts({ failedOnly: true }))[0]?.subscriberId).toBe(
    "desk",
  );
  await d.channels.closeAll();
});

test("a bounced address stops only the email channel: the subscriber's webhook keeps delivering", async () => {
  const d = deps();
  const emailJob = (id: string): DeliverJob => ({
    deliveryId: `${id}.email`,
    subscriberId: "siem",
    channel: "email",
    target: { address: "gone@example.org" },
    message: { kind: "alert", alert: tajiAlert({ id, subscriberId: "siem" }) },
  });
  await expect(sendOnce(emailJob("a1"), attempt, signal(), d)).rejects.toMatchObject({
    targetAction: "suppress",
  });
  expect((await ctx.stores.statuses.get("siem")).status).toBe("suppressed");

  await expect(sendOnce(webhookJob("a2"), attempt, signal(), d)).resolves.not.toBeInstanceOf(
    SkippedDelivery,
  );
  expect(hook.received).toHaveLength(1);
  const later = await sendOnce(emailJob("a3"), attempt, signal(), d);
  expect(later).toBeInstanceOf(SkippedDelivery);
  expect(smtp.received).toHaveLength(0);
  await d.channels.closeAll();
});
