// Regenerates docs/*.png, the screenshots of the main pages in the README: `npm run screenshots`.
// Runs a real server on 127.0.0.1 with a throw-away Redis prefix and sample data written for
// this purpose, photographs each page with Debian's chromium, then removes every key it made.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseConfigText } from "../src/config/load.ts";
import { createHttpServer } from "../src/http/server.ts";
import { silentLogger } from "../src/log.ts";
import { AppContext } from "../src/runtime/context.ts";
import type { RecentItem } from "../src/store/recent-items.ts";
import { SubscriptionStore } from "../src/subscriptions/store.ts";
import { signToken } from "../src/subscriptions/tokens.ts";
import { WatchlistStore } from "../src/subscriptions/watchlist-store.ts";
import { CHROMIUM, launchChromium } from "../test/browser/chromium.ts";

const TOKEN = "screenshot-admin-token-000000000";
const SECRET = "screenshot-link-secret-000000000";
const OUT = path.resolve(import.meta.dirname, "../docs");
const DAY = 86_400_000;

const CONFIG = `
http: { adminToken: "${TOKEN}", secret: "${SECRET}" }
feeds:
  - { id: ministry, url: "https://ministry.example/feed.xml", title: "Ministry of Defence statements" }
  - { id: wire, url: "https://wire.example/rss", title: "Regional Wire" }
  - { id: local, url: "https://local.example/atom", title: "Local Radio News" }
  - { id: archive, url: "https://archive.example/rss", title: "Old archive", enabled: false }
watchlists:
  - id: iraq-base-attacks
    title: Rocket and drone attacks on bases in Iraq
    description: Katyusha, rocket and drone strikes on bases, airports and the Green Zone
    query: '(katyusha OR rocket OR rockets OR drone) AND (base OR "green zone" OR airport) AND (iraq OR baghdad OR taji)'
  - id: kurdistan-politics
    title: Kurdistan Region politics
    description: Parliament, government and parties in Erbil and Sulaymaniyah
    query: 'kurdistan OR erbil OR sulaymaniyah'
`;

const HEADLINES: [string, string, string][] = [
  [
    "wire",
    "Two Katyusha rockets hit Taji base north of Baghdad",
    "Two Katyusha rockets struck Taji base, which hosts coalition trainers, late on Tuesday. Nobody was hurt.",
  ],
  [
    "ministry",
    "Drone intercepted near Erbil airport",
    "Air defences brought down a drone approaching Erbil airport in the Kurdistan Region.",
  ],
  [
    "wire",
    "Rockets land near Baghdad airport base",
    "Three rockets landed close to the base at Baghdad airport, Iraqi officials said.",
  ],
  [
    "local",
    "Kurdistan parliament sets date for budget vote",
    "Lawmakers in Erbil agreed to vote on the regional budget next week.",
  ],
  [
    "wire",
    "Drone strike reported on Ain al-Asad base in Iraq",
    "A drone hit the perimeter of Ain al-Asad air base in western Iraq.",
  ],
  [
    "local",
    "Sulaymaniyah hosts regional trade fair",
    "Companies from across Kurdistan showed their products.",
  ],
  ["wire", "Rocket Lab launches weather satellite", "The launch from New Zealand went to plan."],
];

function sampleItems(now: number): RecentItem[] {
  return Array.from({ length: 21 }, (_, i) => {
    const [feedId, title, text] = HEADLINES[i % HEADLINES.length] as [string, string, string];
    const at = now - ((i * 7) % 6) * DAY - i * 3_600_000;
    return {
      item: {
        id: `sample-${i}`,
        feedId,
        title,
        link: `https://${feedId}.example/news/${i}`,
        published: new Date(at).toISOString(),
        author: null,
        categories: [],
        text,
        contentHash: `h${i}`,
      },
      feed: { id: feedId, title: feedId, url: `https://${feedId}.example/` },
      discoveredAt: at,
    };
  });
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM))
    throw new Error(`no chromium at ${CHROMIUM}: apt-get install -y chromium`);
  const prefix = `nwshots-${randomBytes(4).toString("hex")}`;
  const dir = await mkdtemp(path.join(tmpdir(), "newswatch-shots-"));
  const loaded = parseConfigText(CONFIG, "screenshots.yaml", {
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    NEWSWATCH_PREFIX: prefix,
  });
  const ctx = await AppContext.create(
    { ...loaded, file: path.join(dir, "x.yaml") },
    silentLogger,
    dir,
  );
  const app = await createHttpServer(ctx, { workersRunning: () => true });
  const browser = await launchChromium();
  try {
    const now = Date.now();
    await ctx.stores.recent.add(sampleItems(now), now);
    const daily = (feed: string, perDay: (d: number) => number) =>
      ctx.redis.hset(
        `${ctx.keys.base}:feed-daily:${feed}`,
        Object.fromEntries(
          Array.from({ length: 30 }, (_, d) => [
            new Date(now - d * DAY).toISOString().slice(0, 10),
            perDay(d),
          ]),
        ),
      );
    await daily("wire", (d) => 8 + ((d * 5) % 9));
    await daily("ministry", (d) => (d < 3 ? 0 : 2 + (d % 4)));
    await daily("local", (d) => (d < 12 ? 0 : 3 + (d % 3)));
    const states = ctx.stores.feedStates;
    await states.update("wire", {
      lastSuccessAt: now - 120_000,
      lastNewItemAt: now - 900_000,
      nextPollAt: now + 480_000,
    });
    await states.update("ministry", {
      lastSuccessAt: now - 3 * DAY,
      consecutiveErrors: 7,
      errorCategory: "http",
      lastError: "HTTP 503 Service Unavailable",
      nextPollAt: now + 1_800_000,
    });
    await states.update("local", {
      polls: 400,
      medianIntervalMs: 8 * 3_600_000,
      lastSuccessAt: now - 300_000,
      lastNewItemAt: now - 12 * DAY,
      nextPollAt: now + 600_000,
    });
    await new WatchlistStore(ctx.redis, ctx.keys).put({
      id: "gulf-shipping",
      title: "Gulf shipping incidents",
      query: '(tanker OR "cargo ship") AND (seized OR attacked OR drone)',
      stemming: true,
      alertOnUpdate: false,
    });
    const sub = await new SubscriptionStore(ctx.redis, ctx.keys).create({
      email: "editor@newsdesk.example",
      mode: "both",
      schedule: "0 7 * * *",
      timezone: "Asia/Baghdad",
      quietHours: "22:00-06:00",
      watchlists: [
        { id: "iraq-base-attacks", mode: "both" },
        { id: "kurdistan-politics", mode: "both" },
      ],
    });
    await ctx.stores.statuses.set(sub.id, "active", "confirmed");
    for (const [i, outcome] of (["sent", "sent", "failed", "sent"] as const).entries())
      await ctx.stores.deliveries.recordAttempt({
        deliveryId: `a-sample-${i}.email`,
        messageId: `a-sample-${i}`,
        subscriberId: i === 2 ? "ops-desk" : sub.id,
        channel: "email",
        at: new Date(now - (4 - i) * 3_600_000).toISOString(),
        attempt: 1,
        outcome,
        detail: outcome === "failed" ? "550 5.1.1 No such user here" : "250 2.0.0 OK queued",
      });

    await app.listen({ port: 0, host: "127.0.0.1" });
    const origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const shoot = async (
      name: string,
      url: string,
      width: number,
      act?: (p: import("playwright-core").Page) => Promise<void>,
    ) => {
      const context = await browser.newContext({
        viewport: { width, height: 900 },
        timezoneId: "Asia/Baghdad",
        deviceScaleFactor: 1,
      });
      const page = await context.newPage();
      await context.addCookies([]);
      if (url.startsWith("/admin/")) {
        await page.goto(`${origin}/admin`);
        await page.getByLabel("Admin token").fill(TOKEN);
        await page.keyboard.press("Enter");
        await page.waitForURL(/\/admin\/sources/);
      }
      await page.goto(`${origin}${url}`);
      await act?.(page);
      await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
      await context.close();
      console.log(`docs/${name}.png`);
    };
    await shoot("subscribe", "/subscribe", 420);
    await shoot("manage", `/manage?token=${signToken(SECRET, "manage", sub.id)}`, 420);
    await shoot("watchlist-editor", "/admin/watchlists/new", 1000, async (page) => {
      await page.getByLabel("Id").fill("base-strikes");
      await page.getByLabel("Title").fill("Strikes on bases");
      await page.getByLabel("Query").fill("(rocket OR rockets OR drone) AND (base OR airport)");
      await page.locator("#preview-total").waitFor();
    });
    await shoot("watchlist-error", "/admin/watchlists/new", 1000, async (page) => {
      await page.getByLabel("Query").fill('(rocket OR drone AND "green zone');
      await page.locator("#query-error").waitFor();
    });
    await shoot("sources", "/admin/sources", 1000);
    await shoot("activity", "/admin/activity", 1000);
  } finally {
    await browser.close();
    await app.close();
    let cursor = "0";
    do {
      const [next, keys] = await ctx.redis.scan(cursor, "MATCH", `{${prefix}}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await ctx.redis.del(...keys);
    } while (cursor !== "0");
    await ctx.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
