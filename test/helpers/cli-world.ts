import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach } from "vitest";
import type { DeliverJob } from "../../src/queue/jobs.ts";
import type { AppContext } from "../../src/runtime/context.ts";
import { startWorkers } from "../../workers/index.ts";
import { type SmtpSink, startSmtpSink } from "../integration/channels/smtp-sink.ts";
import { type CliResult, runCli } from "./cli.ts";
import { testContext } from "./context.ts";
import { dropPrefix, uniquePrefix } from "./redis.ts";

export interface CliWorld {
  smtp: SmtpSink;
  dir: string;
  prefix: string;
  /** The config file the CLI is given; `ctx` reads the same YAML (plus the sink's URL). */
  config: string;
  /** An in-process context on the same Redis prefix, to set the scene and look behind it. */
  ctx: AppContext;
  /** Runs `newswatch <args> --config <config>` against this world's prefix and sink. */
  cli(...args: string[]): Promise<CliResult>;
  /** Runs a delivery through all its attempts (1 ms apart) until it is failed for good. */
  failForGood(job: DeliverJob): Promise<void>;
}

/**
 * What the delivery-command e2e tests share: an SMTP sink, a working directory with a config
 * file, a Redis prefix of their own and a context on it, made before and removed after each
 * test. Fields are filled in by the beforeEach hook it registers.
 */
export function useCliWorld(
  name: string,
  yaml: string,
  smtpOptions: Parameters<typeof startSmtpSink>[0] = {},
): CliWorld {
  const world = {} as CliWorld;
  beforeEach(async () => {
    world.smtp = await startSmtpSink(smtpOptions);
    world.dir = await mkdtemp(path.join(tmpdir(), `newswatch-e2e-${name}-`));
    world.prefix = uniquePrefix(`e2e-${name}`);
    world.config = path.join(world.dir, "newswatch.yaml");
    await writeFile(world.config, yaml);
    world.ctx = await testContext(
      `email: { smtp: "${world.smtp.url}" }\n${yaml}`,
      world.prefix,
      world.dir,
    );
  });
  afterEach(async () => {
    await world.ctx.close();
    await Promise.all([world.smtp.close(), dropPrefix(world.prefix)]);
    await rm(world.dir, { recursive: true, force: true });
  });
  world.cli = (...args) =>
    runCli([...args, "--config", world.config], {
      env: { NEWSWATCH_PREFIX: world.prefix, SMTP_URL: world.smtp.url },
      cwd: world.dir,
    });
  world.failForGood = async (job) => {
    const { ctx } = world;
    const workers = startWorkers(ctx, ["deliver"], { retryDelayMs: () => 1 });
    try {
      await ctx.queues.email.add("alert", job, { jobId: job.deliveryId });
      const deadline = Date.now() + 15_000;
      while ((await ctx.queues.email.getJobState(job.deliveryId)) !== "failed") {
        if (Date.now() > deadline) throw new Error("the delivery did not fail in time");
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await workers.close();
    }
  };
  return world;
}
