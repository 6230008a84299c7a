import { afterEach, beforeEach, expect, test } from "vitest";
import { QUEUE } from "../../../src/queue/names.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { emailLimiter, type RunningWorkers, startWorkers } from "../../../workers/index.ts";
import { testContext } from "../../helpers/context.ts";
import { dropPrefix, uniquePrefix } from "../../helpers/redis.ts";

let prefix: string;
let ctx: AppContext | undefined;
let running: RunningWorkers | undefined;
beforeEach(() => {
  prefix = uniquePrefix("email-limiter");
});
afterEach(async () => {
  await running?.close();
  await ctx?.close();
  await dropPrefix(prefix);
  running = undefined;
  ctx = undefined;
});

test("email.ratePerSecond below 1 sends one message per 1/rate seconds, not one a second", () => {
  expect(emailLimiter(0.2)).toEqual({ max: 1, duration: 5000 });
  expect(emailLimiter(0.5)).toEqual({ max: 1, duration: 2000 });
});

test("a fractional email.ratePerSecond above 1 is rounded down, never past the provider's limit", () => {
  expect(emailLimiter(2.6)).toEqual({ max: 2, duration: 1000 });
  expect(emailLimiter(10)).toEqual({ max: 10, duration: 1000 });
  expect(emailLimiter(undefined)).toBeUndefined();
});

test("the email worker gets the limiter for 12 a minute; the webhook worker is not limited", async () => {
  ctx = await testContext("email: { ratePerSecond: 0.2 }\n", prefix);
  running = startWorkers(ctx, ["deliver"]);
  const byName = new Map(running.workers.map((w) => [w.name, w.opts.limiter]));
  expect(byName.get(QUEUE.email)).toEqual({ max: 1, duration: 5000 });
  expect(byName.get(QUEUE.deliver)).toBeUndefined();
});
