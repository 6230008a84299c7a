import { afterEach, beforeEach, expect, test } from "vitest";
import { metricSources } from "../../../src/metrics/sources.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { testContext } from "../../helpers/context.ts";
import { dropPrefix, uniquePrefix } from "../../helpers/redis.ts";

const YAML = `
feeds:
  - { id: fine, url: "https://a.example.org/rss" }
  - { id: broken, url: "https://b.example.org/rss" }
  - { id: quiet, url: "https://c.example.org/rss" }
  - { id: retired, url: "https://d.example.org/rss" }
  - { id: new, url: "https://e.example.org/rss" }
  - { id: off, url: "https://f.example.org/rss", enabled: false }
watchlists:
  - { id: w, title: W, query: rocket }
`;

const HOUR = 3_600_000;
let prefix: string;
let ctx: AppContext;

beforeEach(async () => {
  prefix = uniquePrefix("gauge");
  ctx = await testContext(YAML, prefix);
});
afterEach(async () => {
  await ctx.close();
  await dropPrefix(prefix);
});

test("the feeds gauge counts a silent feed as silent, apart from the healthy ones", async () => {
  const now = Date.now();
  const polled = { polls: 10, lastSuccessAt: now - HOUR, medianIntervalMs: HOUR };
  const feeds = ctx.stores.feedStates;
  await feeds.update("fine", { ...polled, lastNewItemAt: now - 2 * HOUR });
  await feeds.update("broken", { ...polled, consecutiveErrors: 2, lastNewItemAt: now - HOUR });
  // Posts hourly, nothing new for three days: well past the one-day floor.
  await feeds.update("quiet", { ...polled, lastNewItemAt: now - 72 * HOUR });
  await feeds.update("retired", { ...polled, disabled: "gone (HTTP 410)" });

  const counts = await metricSources({
    queues: ctx.queues,
    feedStates: feeds,
    snapshot: () => ctx.snapshot(),
  }).feedHealth?.();
  expect(counts).toEqual({ ok: 1, failing: 1, silent: 1, held: 0, disabled: 2, unpolled: 1 });
});
