import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { afterEach, beforeEach, expect, test } from "vitest";
import { BACKLOG, rssFeed, type Story, TAJI } from "../fixtures/stories/wire.ts";
import { runCli } from "../helpers/cli.ts";
import { type FeedServer, startFeedServer } from "../helpers/feed-server.ts";
import { dropPrefix, uniquePrefix } from "../helpers/redis.ts";
import { type Receiver, startReceiver } from "../integration/channels/http-receiver.ts";
import { type SmtpSink, startSmtpSink } from "../integration/channels/smtp-sink.ts";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

// The same night at Taji in three outlets' words. The second repeats what the first said;
// the third adds a wounded contractor and a claim of responsibility.
const SECOND: Story = {
  guid: "b-77",
  title: "Rockets strike Iraqi base hosting coalition trainers north of Baghdad",
  text: "Two rockets hit a military base that houses foreign trainers about 30 km north of the capital on Tuesday night, officials said.",
  published: TAJI.published,
  matches: true,
};
const THIRD: Story = {
  guid: "c-9",
  title: "Group claims Taji rocket attack; one contractor wounded",
  text: "A little-known armed faction claimed responsibility for Tuesday's rocket strike on Taji base, which officials now say wounded one contractor.",
  published: TAJI.published,
  matches: true,
};

let feeds: FeedServer;
let smtp: SmtpSink;
let hook: Receiver;
let dir: string;
let prefix: string;
let config: string;

const yaml = () => `
http: { publicUrl: "http://localhost:8787" }
security: { allowPrivateNetworks: true }
feeds:
  - { id: wire-a, title: Wire A, url: "${feeds.origin}/a.xml", group: a }
  - { id: wire-b, title: Wire B, url: "${feeds.origin}/b.xml", group: b }
  - { id: wire-c, title: Wire C, url: "${feeds.origin}/c.xml", group: c }
watchlists:
  - id: bases
    title: Bases
    query: '(katyusha OR rocket OR rockets) AND base AND (iraq OR iraqi OR baghdad OR taji)'
subscribers:
  - { id: desk, email: desk@example.org, updates: immediate, watchlists: [bases] }
  - { id: morning, email: morning@example.org, mode: digest, watchlists: [bases] }
  - id: siem
    webhook: { url: "${hook.origin}/hook", secret: "${SECRET}" }
    updates: immediate
    watchlists: [bases]
`;

function publish(feed: "a" | "b" | "c", stories: Story[]) {
  feeds.serve(`/${feed}.xml`, rssFeed(`Wire ${feed.toUpperCase()}`, feeds.origin, stories));
}

async function cli(...args: string[]) {
  const result = await runCli([...args, "--config", config], {
    env: { NEWSWATCH_PREFIX: prefix, SMTP_URL: smtp.url },
    cwd: dir,
  });
  expect(result.stderr).not.toMatch(/error/i);
  expect(result.code, result.stdout).toBe(0);
  return result;
}

const mailsTo = (address: string) => smtp.received.filter((m) => m.rcptTo.includes(address));

function verified(index: number) {
  const request = hook.received[index];
  if (!request) throw new Error(`no webhook request ${index}`);
  return new Webhook(SECRET).verify(request.body, request.headers as Record<string, string>) as {
    type: string;
    data?: {
      storyId: string;
      report: { title: string; feed: { id: string } };
      changes: string[];
      outlets: { feedId: string }[];
      outletCount: number;
    };
    storyId?: string;
  };
}

beforeEach(async () => {
  [feeds, smtp, hook] = await Promise.all([startFeedServer(), startSmtpSink(), startReceiver()]);
  dir = await mkdtemp(path.join(tmpdir(), "newswatch-e2e-threads-"));
  prefix = uniquePrefix("e2e-threads");
  config = path.join(dir, "newswatch.yaml");
  await writeFile(config, yaml());
});

afterEach(async () => {
  await Promise.all([feeds.close(), smtp.close(), hook.close(), dropPrefix(prefix)]);
  await rm(dir, { recursive: true, force: true });
});

test("three outlets carrying one incident over three polls make one thread: one alert, an update only when something changed, one digest entry naming all three", async () => {
  for (const f of ["a", "b", "c"] as const) publish(f, BACKLOG);
  await cli("run-once", "--retry-for", "5s"); // first polls record the backlog silently

  publish("a", [...BACKLOG, TAJI]);
  await cli("run-once", "--retry-for", "5s");
  expect(mailsTo("desk@example.org")).toHaveLength(1);
  const first = mailsTo("desk@example.org")[0];
  expect(first?.parsed.subject).toBe(`[Bases] ${TAJI.title}`);
  expect(first?.parsed.text).toContain("single source");
  expect(hook.received).toHaveLength(1);
  const alert = verified(0);
  expect(alert.type).toBe("alert");

  // Another outlet, other words, nothing new: kept on the story, no update.
  publish("b", [...BACKLOG, SECOND]);
  await cli("run-once", "--retry-for", "5s");
  expect(mailsTo("desk@example.org")).toHaveLength(1);
  expect(hook.received).toHaveLength(1);

  // A third outlet adds a wounded contractor and a claim: one threaded update.
  publish("c", [...BACKLOG, THIRD]);
  await cli("run-once", "--retry-for", "5s");
  const deskMails = mailsTo("desk@example.org");
  expect(deskMails).toHaveLength(2);
  const update = deskMails[1];
  expect(update?.parsed.subject).toBe(`Re: [Bases] ${TAJI.title}`);
  expect(update?.parsed.inReplyTo).toBe(first?.parsed.messageId);
  expect(update?.parsed.references).toBe(first?.parsed.messageId);
  expect(update?.parsed.text).toContain("responsibility claimed");
  expect(update?.parsed.text).toContain("1 wounded");
  expect(update?.parsed.text).toMatch(/Wire A, Wire B, Wire C \(3 independent outlets\)/);

  expect(hook.received).toHaveLength(2);
  const storyUpdated = verified(1);
  expect(storyUpdated.type).toBe("story.updated");
  expect(storyUpdated.data?.storyId).toBe(alert.storyId);
  expect(storyUpdated.data?.report.title).toBe(THIRD.title);
  expect(storyUpdated.data?.changes).toEqual(
    expect.arrayContaining(["1 wounded", "responsibility claimed"]),
  );
  expect(storyUpdated.data?.outlets.map((o) => o.feedId)).toEqual(["wire-a", "wire-b", "wire-c"]);
  expect(storyUpdated.data?.outletCount).toBe(3);

  expect(mailsTo("morning@example.org")).toHaveLength(0);
  await cli("digest", "--now", "--subscriber", "morning");
  const digests = mailsTo("morning@example.org");
  expect(digests).toHaveLength(1);
  const text = digests[0]?.parsed.text ?? "";
  expect(digests[0]?.parsed.subject).toContain("1 new story");
  expect(text).toContain(TAJI.title);
  expect(text).toMatch(/Also reported by: Wire B.*; Wire C/);
  expect(text).toContain("carried by 3 independent outlets");
  expect(text).toContain("What changed:");
});
