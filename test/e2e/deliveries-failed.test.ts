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
  // Greylists through a delivery's whole schedule (9 attempts), then accepts.
  smtp = await startSmtpSink({ rejectRcpt: 451, rejectTimes: 9 });
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-e2e-failed-"));
  prefix = uniquePrefix("e2e-failed");
  config = path.join(dir, "newswatch.yaml");
  await writeFile(config, YAML);
  ctx = await testContext(`email: { smtp: "${smtp.url}" }\n${YAML}`, prefix, dir);
});
afterEach(async () => {
  await ctx.close();
  await Promise.all([smtp.close(), dropPrefix(prefix)]);
  await rm(dir, { recursive: true, force: true });
});

const cli = (...args: string[]) =>
  runCli([...args, "--config", config], {
    env: { NEWSWATCH_PREFIX: prefix, SMTP_URL: smtp.url },
    cwd: dir,
  });
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
  const workers = startWorkers(ctx, ["deliver"], { retryDelayMs: () => 1 });
  await ctx.queues.email.add("alert", job, { jobId: job.deliveryId });
  const deadline = Date.now() + 15_000;
  while ((await ctx.queues.email.getJobState(job.deliveryId)) !== "failed") {
    if (Date.now() > deadline) throw new Error("the delivery did not fail in time");
    await new Promise((r) => setTimeout(r, 50));
  }
  await workers.close();

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
