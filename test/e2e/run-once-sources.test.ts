import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { rssFeed } from "../fixtures/stories/wire.ts";
import { runCli } from "../helpers/cli.ts";
import { type FeedServer, startFeedServer } from "../helpers/feed-server.ts";
import { dropPrefix, uniquePrefix } from "../helpers/redis.ts";
import { type SmtpSink, startSmtpSink } from "../integration/channels/smtp-sink.ts";

let server: FeedServer;
let smtp: SmtpSink;
let dir: string;
let prefix: string;

const fixture = (name: string) =>
  readFile(path.join(import.meta.dirname, "../fixtures/pages", name), "utf8");

const configYaml = () => `
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s }
feeds:
  - { id: moi, kind: html, url: "${server.origin}/en/news/" }
  - { id: frontline, kind: telegram, channel: frontline_watch, url: "${server.origin}/s/frontline_watch" }
  - { id: wire, url: "${server.origin}/wire.xml", fullText: true }
watchlists:
  - { id: drones, title: Drones over bases, query: 'drone AND base' }
subscribers:
  - { id: desk, email: desk@example.org, watchlists: [drones] }
`;

const runOnce = (config: string) =>
  runCli(["run-once", "--config", config, "--retry-for", "5s"], {
    env: { NEWSWATCH_PREFIX: prefix, SMTP_URL: smtp.url },
    cwd: dir,
  });

beforeEach(async () => {
  [server, smtp] = await Promise.all([startFeedServer(), startSmtpSink()]);
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-e2e-sources-"));
  prefix = uniquePrefix("e2e-sources");
});
afterEach(async () => {
  await Promise.all([server.close(), smtp.close(), dropPrefix(prefix)]);
  await rm(dir, { recursive: true, force: true });
});

describe("run-once with pages, a Telegram channel and a full-text feed", () => {
  test("each source's new story is delivered by email once; the headline-only one says its match is in the full article", async () => {
    const ministry = await fixture("ministry-news.html");
    const channel = await fixture("telegram-channel.html");
    server.serve("/en/news/", ministry, "text/html; charset=utf-8");
    server.serve("/s/frontline_watch", channel, "text/html; charset=utf-8");
    server.serve("/wire.xml", rssFeed("Wire", server.origin, []));
    const config = path.join(dir, "newswatch.yaml");
    await writeFile(config, configYaml());

    const first = await runOnce(config);
    expect(first.code).toBe(0);
    expect(smtp.received).toHaveLength(0);

    server.serve(
      "/en/news/",
      ministry.replace(
        '<div class="news-list">',
        `<div class="news-list"><div class="news-item"><h3><a href="/en/news/2026/12/drone-base">Drone downed over Ain al-Asad base</a></h3><p>Air defences intercepted it.</p></div>`,
      ),
      "text/html",
    );
    server.serve(
      "/s/frontline_watch",
      channel.replace(
        "    </section>",
        `<div class="tgme_widget_message js-widget_message" data-post="frontline_watch/4900"><div class="tgme_widget_message_text js-message_text">Second drone seen over Harir base tonight.</div><time datetime="2026-12-03T20:00:00+00:00"></time></div>\n    </section>`,
      ),
      "text/html",
    );
    const headline = {
      guid: "w-9",
      title: "Explosions heard near Erbil airport",
      text: "",
      published: "2026-12-03T19:00:00Z",
      matches: true,
    };
    server.serve(
      `/news/${headline.guid}`,
      `<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><article><h1>Explosions heard near Erbil airport</h1><p>${"Officials said a drone struck a hangar at the base beside the airport late on Wednesday, and that nobody was hurt in the attack. ".repeat(3)}</p></article></body></html>`,
      "text/html",
    );
    server.serve("/wire.xml", rssFeed("Wire", server.origin, [headline]));

    const second = await runOnce(config);
    expect(second.stdout).toContain("feeds:   3 ok, 0 failed");
    expect(second.stdout).toContain("alerts:  3 delivered, 0 failed");
    const subjects = smtp.received.map((m) => m.parsed.subject).sort();
    expect(subjects).toEqual([
      "[Drones over bases] Drone downed over Ain al-Asad base",
      "[Drones over bases] Explosions heard near Erbil airport",
      "[Drones over bases] Second drone seen over Harir base tonight.",
    ]);
    const fullText = smtp.received.find((m) => m.parsed.subject?.includes("Explosions"));
    expect(fullText?.parsed.text).toContain("Found in the full article only");
    const telegram = smtp.received.find((m) => m.parsed.subject?.includes("Harir"));
    expect(telegram?.parsed.text).toContain("https://t.me/frontline_watch/4900");
  });
});
