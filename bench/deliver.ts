/**
 * Delivery throughput through the real queues and workers: `npm run bench:deliver`.
 * 1. Ceiling: raw BullMQ, no-op processor, same queue options and concurrency.
 * 2. 20,000 webhook alerts to a local receiver (a child process).
 * 3. 5,000 emails to a local SMTP sink over nodemailer's pooled connections.
 * Each phase enqueues everything first, then times the workers draining the queue.
 * Sizes: --alerts=N --emails=N --concurrency=N (defaults 20000, 5000, 64).
 */
import { Queue, Worker } from "bullmq";
import type { Alert } from "../src/model/alert.ts";
import { connectRedis } from "../src/queue/connection.ts";
import type { DeliverJob } from "../src/queue/jobs.ts";
import { DELIVER_JOB_OPTIONS } from "../src/queue/queues.ts";
import { keyPrefix } from "../src/store/keys.ts";
import { tajiAlert } from "../test/fixtures/alerts.ts";
import { startWorkers } from "../workers/index.ts";
import {
  benchPrefix,
  dropPrefix,
  flag,
  fmt,
  openContext,
  REDIS_URL,
  startSink,
  waitUntil,
} from "./lib/harness.ts";

const ALERTS = flag("alerts", 20_000);
const EMAILS = flag("emails", 5_000);
const CONCURRENCY = flag("concurrency", 64);
const CHUNK = 1000;

async function addInChunks(queue: Queue, jobs: { name: string; data: unknown; opts: object }[]) {
  for (let i = 0; i < jobs.length; i += CHUNK) await queue.addBulk(jobs.slice(i, i + CHUNK));
}

/** Raw BullMQ: how fast this Redis and this machine move jobs that do nothing. */
async function noopCeiling(n: number): Promise<number> {
  const prefix = benchPrefix("noop");
  const connection = connectRedis(REDIS_URL);
  const queue = new Queue("noop", { connection, prefix: keyPrefix(prefix) });
  const payload = { deliveryId: "x", message: { kind: "alert", alert: tajiAlert() } };
  await addInChunks(
    queue,
    Array.from({ length: n }, (_, i) => ({
      name: "alert",
      data: { ...payload, deliveryId: `noop-${i}` },
      opts: { ...DELIVER_JOB_OPTIONS, jobId: `noop-${i}` },
    })),
  );
  let done = 0;
  const started = performance.now();
  const worker = new Worker("noop", async () => ({ ok: true }), {
    connection,
    prefix: keyPrefix(prefix),
    concurrency: CONCURRENCY,
  });
  worker.on("completed", () => done++);
  await waitUntil(() => done >= n, 600_000);
  const seconds = (performance.now() - started) / 1000;
  await worker.close();
  await queue.close();
  connection.disconnect();
  await dropPrefix(prefix);
  return n / seconds;
}

function alertFor(i: number, subscriberId: string): Alert {
  const base = tajiAlert();
  return {
    ...base,
    id: `abench${i}`,
    subscriberId,
    item: { ...base.item, id: `${base.item.id}-${i}`, title: `${base.item.title} (${i})` },
    discoveredAt: new Date().toISOString(),
  };
}

async function throughput(channel: "webhook" | "email", n: number, sinkUrl: string) {
  const prefix = benchPrefix(channel);
  const { ctx } = await openContext(`
redis: { prefix: ${prefix}, url: "${REDIS_URL}" }
email: { from: "Bench <bench@newswatch.local>", smtp: "${channel === "email" ? sinkUrl : "smtp://127.0.0.1:9"}" }
security: { allowPrivateNetworks: true }
workers: { deliverConcurrency: ${CONCURRENCY} }
`);
  const target =
    channel === "webhook"
      ? { url: sinkUrl, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", format: "json" }
      : { address: "desk@example.org" };
  const queue = ctx.queues.forChannel(channel);
  await addInChunks(
    queue,
    Array.from({ length: n }, (_, i) => {
      const id = `abench${i}.${channel}`;
      const job: DeliverJob = {
        deliveryId: id,
        subscriberId: "bench",
        channel,
        target,
        message: { kind: "alert", alert: alertFor(i, "bench") },
      };
      return { name: "alert", data: job, opts: { jobId: id } };
    }),
  );
  let sent = 0;
  let failed = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const workers = startWorkers(ctx, ["deliver"], {
    onDelivered: () => sent++,
    onDeliveryFailed: () => failed++,
  });
  await waitUntil(() => sent + failed >= n, 600_000);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await workers.close();
  await ctx.close();
  await dropPrefix(prefix);
  return { perSecond: n / seconds, failed, cpuSeconds: (cpu.user + cpu.system) / 1e6, seconds };
}

const [hook, smtp] = await Promise.all([startSink("webhook"), startSink("smtp")]);
try {
  console.log(
    `bench:deliver  ${new Date().toISOString()}  node ${process.version}  concurrency ${CONCURRENCY}`,
  );
  const ceiling = await noopCeiling(ALERTS);
  console.log(`BullMQ no-op ceiling   ${fmt(ALERTS)} jobs   ${fmt(ceiling)} jobs/s`);
  const web = await throughput("webhook", ALERTS, String(hook.info.url));
  const received = (await hook.ask<{ count: number }>({ stats: true })).count;
  console.log(
    `webhooks               ${fmt(ALERTS)} alerts ${fmt(web.perSecond)} alerts/s  (${fmt((100 * web.perSecond) / ceiling)}% of ceiling; target >= 50%)  receiver saw ${fmt(received)}, failed ${web.failed}, ${fmt(web.cpuSeconds, 1)} CPU s in newswatch`,
  );
  const mail = await throughput("email", EMAILS, String(smtp.info.url));
  const accepted = (await smtp.ask<{ count: number }>({ stats: true })).count;
  console.log(
    `email (pooled SMTP)    ${fmt(EMAILS)} emails ${fmt(mail.perSecond)} emails/s  (target >= 1,000/s)  sink accepted ${fmt(accepted)}, failed ${mail.failed}, ${fmt(mail.cpuSeconds, 1)} CPU s in newswatch`,
  );
} finally {
  hook.close();
  smtp.close();
}
process.exit(0);
