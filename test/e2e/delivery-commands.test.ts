import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { BACKLOG, NEAR_MISSES, rssFeed, TAJI } from "../fixtures/stories/wire.ts";
import { runCli } from "../helpers/cli.ts";
import { type FeedServer, startFeedServer } from "../helpers/feed-server.ts";
import { dropPrefix, uniquePrefix } from "../helpers/redis.ts";
import { type Receiver, startReceiver, status } from "../integration/channels/http-receiver.ts";
import { type SmtpSink, startSmtpSink } from "../integration/channels/smtp-sink.ts";

let feeds: FeedServer;
let smtp: SmtpSink;
let hook: Receiver;
let dir: string;
let prefix: string;
let config: string;

const cli = (...args: string[]) =>
  runCli([...args, "--config", config], {
    env: { NEWSWATCH_PREFIX: prefix, SMTP_URL: smtp.url },
    cwd: dir,
  });

beforeEach(async () => {
  [feeds, smtp, hook] = await Promise.all([startFeedServer(), startSmtpSink(), startReceiver()]);
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-e2e-"));
  prefix = uniquePrefix("e2e-delivery");
  config = path.join(dir, "newswatch.yaml");
  await writeFile(
    config,
    `
security: { allowPrivateNetworks: true }
feeds:
  - { id: wire, url: "${feeds.origin}/wire.xml" }
watchlists:
  - id: bases
    title: Attacks on bases
    query: '(katyusha OR rocket* OR drone) AND base AND (iraq OR baghdad)'
subscribers:
  - { id: desk, email: desk@example.org, mode: digest, schedule: "0 7 * * *", timezone: Asia/Baghdad, watchlists: [bases] }
  - id: siem
    webhook: { url: "${hook.origin}/hook" }
    watchlists: [bases]
`,
  );
  feeds.serve("/wire.xml", rssFeed("Wire", feeds.origin, BACKLOG));
});

afterEach(async () => {
  await Promise.all([feeds.close(), smtp.close(), hook.close(), dropPrefix(prefix)]);
  await rm(dir, { recursive: true, force: true });
});

test("a digest subscriber gets nothing immediately, one digest on `digest --now`, and nothing more when nothing is pending", async () => {
  expect((await cli("run-once")).code).toBe(0);
  feeds.serve("/wire.xml", rssFeed("Wire", feeds.origin, [TAJI, ...NEAR_MISSES, ...BACKLOG]));
  const run = await cli("run-once");
  expect(run.stdout).toContain("1 filed for digests");
  expect(smtp.received).toHaveLength(0);

  const listed = await cli("subscribers", "--json");
  const desk = listed.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l))
    .find((s) => s.id === "desk");
  expect(desk).toMatchObject({ mode: "digest", status: "active", timezone: "Asia/Baghdad" });
  expect(desk.nextDigestLocal).toMatch(/ 07:00 Asia\/Baghdad$/);

  const sent = await cli("digest", "--now", "--subscriber", "desk");
  expect(sent.code).toBe(0);
  expect(sent.stdout).toContain("desk: 1 entries");
  expect(smtp.received).toHaveLength(1);
  expect(smtp.received[0]?.parsed.text).toContain(TAJI.title);

  const again = await cli("digest", "--now", "--subscriber", "desk");
  expect(again.stdout).toContain("desk: nothing pending");
  expect(smtp.received).toHaveLength(1);
}, 90_000);

test("a delivery refused for good is audited, and `retry --all-failed` sends it once the endpoint is fixed", async () => {
  hook.reply(status(404));
  expect((await cli("run-once")).code).toBe(0);
  feeds.serve("/wire.xml", rssFeed("Wire", feeds.origin, [TAJI, ...BACKLOG]));
  const run = await cli("run-once");
  expect(run.code).toBe(1);
  expect(run.stdout).toContain("alerts:  0 delivered, 1 failed");

  const audit = await cli("deliveries", "--failed", "--json");
  const attempts = audit.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(attempts).toHaveLength(1);
  expect(attempts[0]).toMatchObject({
    subscriberId: "siem",
    channel: "webhook",
    outcome: "failed",
  });
  expect(attempts[0].detail).toMatch(/404/);

  hook.reply(status(200));
  const retried = await cli("retry", "--all-failed");
  expect(retried.code).toBe(0);
  expect(retried.stdout).toContain("retried 1: 1 delivered, 0 failed");
  const ids = hook.received.map((r) => r.headers["webhook-id"]);
  expect(ids).toHaveLength(2);
  expect(new Set(ids).size).toBe(1);

  const nothingLeft = await cli("retry", "--all-failed");
  expect(nothingLeft.code).toBe(1);
  expect(nothingLeft.stderr).toContain("no failed deliveries");
}, 90_000);
