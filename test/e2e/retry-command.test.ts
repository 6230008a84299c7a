import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import type { DeliverJob } from "../../src/queue/jobs.ts";
import type { AppContext } from "../../src/runtime/context.ts";
import { startWorkers } from "../../src/runtime/workers.ts";
import { tajiAlert } from "../fixtures/alerts.ts";
import { runCli } from "../helpers/cli.ts";
import { testContext } from "../helpers/context.ts";
import { dropPrefix, uniquePrefix } from "../helpers/redis.ts";
import { type SmtpSink, startSmtpSink } from "../integration/channels/smtp-sink.ts";

let smtp: SmtpSink;
let dir: string;
let prefix: string;
let config: string;
let ctx: AppContext;

const YAML = `
watchlists: [{ id: bases, title: Attacks on bases, query: rocket }]
subscribers: [{ id: desk, email: desk@example.org, watchlists: [bases] }]
`;

beforeEach(async () => {
  // Greylisting that outlasts the whole retry schedule and the command's wait.
  smtp = await startSmtpSink({ rejectRcpt: 451 });
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-e2e-retry-"));
  prefix = uniquePrefix("e2e-retry");
  config = path.join(dir, "newswatch.yaml");
  await writeFile(config, YAML);
  ctx = await testContext(`email: { smtp: "${smtp.url}" }\n${YAML}`, prefix, dir);
});
afterEach(async () => {
  await ctx.close();
  await Promise.all([smtp.close(), dropPrefix(prefix)]);
  await rm(dir, { recursive: true, force: true });
});

/** Runs a delivery through all its attempts (with 1 ms waits) until it is failed for good. */
async function exhaust(job: DeliverJob): Promise<void> {
  const workers = startWorkers(ctx, ["deliver"], { retryDelayMs: () => 1 });
  await ctx.queues.email.add("alert", job, { jobId: job.deliveryId });
  const deadline = Date.now() + 15_000;
  while ((await ctx.queues.email.getJobState(job.deliveryId)) !== "failed") {
    if (Date.now() > deadline) throw new Error("the delivery did not fail in time");
    await new Promise((r) => setTimeout(r, 50));
  }
  await workers.close();
}

test("`newswatch retry` gives a delivery that used up its attempts a fresh schedule: still greylisted, it is left queued for the daemon instead of failing after one try", async () => {
  await exhaust({
    deliveryId: "a1.email",
    subscriberId: "desk",
    channel: "email",
    target: { address: "desk@example.org" },
    message: { kind: "alert", alert: tajiAlert({ id: "a1", subscriberId: "desk" }) },
  });
  expect((await ctx.queues.email.getJob("a1.email"))?.attemptsMade).toBe(9);

  const retried = await runCli(["retry", "a1", "--config", config], {
    env: { NEWSWATCH_PREFIX: prefix, SMTP_URL: smtp.url },
    cwd: dir,
  });
  expect(retried.stdout).toContain("retried 1: 0 delivered, 1 failed");
  expect(retried.stdout).toMatch(/a1\.email: still retrying, left queued: .*451/);
  expect(retried.code).toBe(1);

  const job = await ctx.queues.email.getJob("a1.email");
  expect(await job?.getState()).toBe("delayed");
  expect(job?.attemptsMade).toBe(3);
});
