import { randomBytes } from "node:crypto";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { CliIO } from "../cli/command.ts";
import { loadConfig } from "../config/load.ts";
import { createLogger } from "../log.ts";
import { AppContext } from "../runtime/context.ts";
import { ensureRedis } from "../runtime/ensure-redis.ts";
import { runOnce } from "../runtime/run-once.ts";
import { DEMO_BACKLOG, DEMO_BREAKING, demoRss } from "./stories.ts";

const OUTLETS = ["tigris-wire", "kurdistan-daily"];

/**
 * The offline demo: serves two outlets' feeds on 127.0.0.1, runs the real pipeline against
 * them twice (the first poll records the backlog, then the Taji report breaks), and leaves
 * the alert in outbox/demo as an .eml file. Uses its own Redis prefix and removes it after.
 */
export async function runDemo(io: CliIO): Promise<number> {
  const feeds = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const body = feeds.get(req.url ?? "");
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const publish = (stories: typeof DEMO_BACKLOG) => {
    for (const outlet of OUTLETS) feeds.set(`/${outlet}.xml`, demoRss(outlet, origin, stories));
  };

  const dir = path.resolve(io.cwd, "outbox/demo");
  await mkdir(dir, { recursive: true });
  const configFile = path.join(dir, "demo-config.yaml");
  const prefix = `newswatch-demo-${randomBytes(3).toString("hex")}`;
  await writeFile(configFile, demoConfig(origin, dir, prefix));
  const log = createLogger({ ...io.env, LOG_LEVEL: io.env.LOG_LEVEL ?? "warn" });
  const say = (line: string) => io.stdout.write(`${line}\n`);

  // The demo's own prefix and outbox win over the shell's: with SMTP_URL set the alert would
  // go to a real mail server, and a fixed NEWSWATCH_PREFIX would make a second run see nothing new.
  // REDIS_URL still applies: it only says where Redis is.
  const { NEWSWATCH_PREFIX: _p, SMTP_URL: _s, ...env } = io.env;
  const loaded = await loadConfig(configFile, env, io.cwd);
  await ensureRedis(loaded.config.redis.url, io.cwd, log);
  const ctx = await AppContext.create(loaded, log, io.cwd, io.startWorkers);
  try {
    say(
      `demo: two outlets serve feeds at ${origin}; watchlist: ${loaded.config.watchlists[0]?.query}`,
    );
    publish(DEMO_BACKLOG);
    const first = await runOnce(ctx, { retryForMs: 10_000 });
    say(
      `poll 1: ${sum(first.feeds.map((f) => f.newItems))} existing items recorded, no alerts (a new feed's backlog never alerts)`,
    );
    publish([...DEMO_BREAKING, ...DEMO_BACKLOG]);
    const second = await runOnce(ctx, { retryForMs: 10_000 });
    say(
      `poll 2: ${sum(second.feeds.map((f) => f.newItems))} new items, ${sum(second.feeds.map((f) => f.matchedItems))} matched, ${second.deliveries.delivered} alert delivered (the second outlet's copy is the same story)`,
    );
    const files = (await readdir(dir)).filter((f) => f.endsWith(".eml"));
    for (const file of files)
      say(`alert written to ${path.relative(io.cwd, path.join(dir, file))}`);
    return second.deliveries.delivered > 0 ? 0 : 1;
  } finally {
    const keys = await ctx.redis.keys(`{${prefix}}*`);
    if (keys.length > 0) await ctx.redis.del(...keys);
    await ctx.close();
    server.close();
  }
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function demoConfig(origin: string, outbox: string, prefix: string): string {
  return `# Written by \`newswatch demo\`: local feeds, alerts into ${outbox}
redis: { prefix: ${prefix} }
email: { outbox: "${outbox}" }
security: { allowPrivateNetworks: true }   # the demo's feeds are on 127.0.0.1
feeds:
${OUTLETS.map((o) => `  - { id: ${o}, url: "${origin}/${o}.xml" }`).join("\n")}
watchlists:
  - id: iraq-base-attacks
    title: Rocket and drone attacks on bases in Iraq
    query: >-
      (@indirect_fire OR @drones)
      AND (@iraq_sites OR (@military_sites AND @coalition))
      AND (@iraq_places OR @iraq_sites)
      -(@other_theatres -@iraq_sites) -@space_launches -@drills -@shows -@interest_rates
subscribers:
  - { id: ops-desk, email: ops@example.org, watchlists: [iraq-base-attacks] }
`;
}
