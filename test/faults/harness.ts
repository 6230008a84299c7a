import type { ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterEach, beforeEach } from "vitest";
import type { Story } from "../fixtures/stories/wire.ts";
import { exited, startCli } from "../helpers/cli.ts";
import { type FeedServer, startFeedServer } from "../helpers/feed-server.ts";
import { dropPrefix, REDIS_URL, uniquePrefix } from "../helpers/redis.ts";
import { waitFor } from "../helpers/wait.ts";
import {
  type HookSink,
  type MailSink,
  type PrivateRedis,
  startHookSink,
  startMailSink,
  startPrivateRedis,
} from "./sinks.ts";

export { waitFor };

export type Running = ReturnType<typeof startCli>;

/**
 * `count` distinct stories that the fault-test watchlist (`rocket`) matches. Their numbers
 * differ from every other tag's too: texts alike but for one word and sharing their numbers
 * read as copies of one report, which incident grouping makes one story.
 */
export function matchingStories(count: number, tag: string): Story[] {
  const base = Date.now() - 3_600_000;
  // Tags one letter apart ("alpha-c0", "alpha-c1") get numbers far apart, not one apart.
  const salt =
    ([...tag].reduce((h, c) => (h * 31 + (c.codePointAt(0) ?? 0)) % 100_003, 17) + 1) * 1_000_000;
  return Array.from({ length: count }, (_, i) => ({
    guid: `${tag}-${i}`,
    title: `Rocket report ${tag} number ${salt + i} from sector ${salt + i * 7919}`,
    text: `Unique dispatch ${tag}/${salt + i}: a rocket landed in district ${salt + i * 104_729}.`,
    published: new Date(base + i * 1000).toISOString(),
    matches: true,
  }));
}

/**
 * Marks feeds due now, so the first scheduler tick polls them instead of waiting for their
 * stable offset within the first minute.
 */
export async function seedDue(prefix: string, feedIds: string[], redisUrl = REDIS_URL) {
  const redis = new Redis(redisUrl);
  try {
    for (const id of feedIds) await redis.hset(`{${prefix}}:feed:${id}`, "nextPollAt", Date.now());
  } finally {
    redis.disconnect();
  }
}

export interface ConfigParts {
  feeds: { id: string; url: string; every?: string }[];
  webhookUrl?: string;
  webhookSecret?: string;
  email?: string;
  /** Extra keys inside `workers:`, e.g. `deliverConcurrency: 4`. */
  workers?: string;
  extra?: string;
  outbox?: string;
}

/**
 * A config with one `rocket` watchlist and one subscriber per channel asked for, without the
 * default storm cap (the tests count every alert of a burst arriving once). Private
 * addresses are allowed: every target in these tests is 127.0.0.1. Feeds alert on their
 * first poll (backfill), and polls may be as close as 2 s apart.
 */
export async function writeConfig(dir: string, parts: ConfigParts): Promise<string> {
  const subscribers: string[] = [];
  if (parts.email)
    subscribers.push(
      `  - { id: mail-desk, email: ${parts.email}, maxPerHour: unlimited, watchlists: [rockets] }`,
    );
  if (parts.webhookUrl)
    subscribers.push(
      `  - id: hook-desk\n    webhook: { url: "${parts.webhookUrl}", secret: "${parts.webhookSecret ?? "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}" }\n    maxPerHour: unlimited\n    watchlists: [rockets]`,
    );
  const yaml = `http: { port: 0, publicUrl: "http://localhost:8787" }
email: { from: "Newswatch <alerts@newswatch.local>"${parts.outbox ? `, outbox: "${parts.outbox}"` : ""} }
security: { allowPrivateNetworks: true }
defaults: { minInterval: 1s, every: 2s, hostSpacing: 0s, maxConcurrentPerHost: 8 }
workers: { ${[parts.workers?.includes("shutdownTimeout") ? "" : "shutdownTimeout: 5s", parts.workers ?? ""].filter(Boolean).join(", ")} }
${parts.extra ?? ""}
feeds:
${parts.feeds.map((f) => `  - { id: ${f.id}, url: "${f.url}", backfill: 3650d${f.every ? `, every: ${f.every}` : ""} }`).join("\n")}
watchlists:
  - { id: rockets, title: Rocket reports, query: rocket }
subscribers:
${subscribers.join("\n")}
`;
  const file = path.join(dir, "newswatch.yaml");
  await writeFile(file, yaml);
  return file;
}

/** Starts a newswatch role with the test's Redis prefix; logs are JSON lines at info level. */
export function spawnRole(
  args: string[],
  opts: { config: string; prefix: string; cwd: string; env?: NodeJS.ProcessEnv },
): Running {
  return startCli([...args, "--config", opts.config], {
    cwd: opts.cwd,
    env: {
      NEWSWATCH_PREFIX: opts.prefix,
      NEWSWATCH_RETRY_SCALE: "0.002",
      NEWSWATCH_JOB_LOCK_MS: "4000",
      ...opts.env,
    },
  });
}

/** The JSON log lines a process wrote so far. */
export function logLines(child: Running): Record<string, unknown>[] {
  return child
    .output()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return {};
      }
    });
}

/** Waits for the "newswatch running" line, so a test acts on a process that is up. */
export async function running(child: Running, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    "newswatch to start",
    () => logLines(child).some((l) => l.msg === "newswatch running") || child.exitCode !== null,
    timeoutMs,
    () => child.output(),
  );
  if (child.exitCode !== null) throw new Error(`exited early:\n${child.output()}`);
}

/** The URL the HTTP server of a `start` process listens on. */
export async function httpUrl(child: Running): Promise<string> {
  let url = "";
  await waitFor(
    "the HTTP server",
    () => {
      const line = logLines(child).find((l) => l.msg === "HTTP server listening");
      url = typeof line?.url === "string" ? line.url : "";
      return url !== "";
    },
    20_000,
    () => child.output(),
  );
  return url;
}

/** Stops a process (SIGTERM by default) and returns its exit code; SIGKILLs it if it hangs. */
export async function stop(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM") {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  child.kill(signal);
  try {
    return await exited(child, 15_000);
  } catch {
    child.kill("SIGKILL");
    return exited(child, 5_000);
  }
}

/** Counts how often each value occurs; the entries seen more than once are duplicates. */
export function duplicates(values: string[]): string[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([v]) => v);
}

/** Records when each request reached the feed server, per path (the helper keeps no times). */
export function stampRequests(server: { requests: { path: string }[] }): Map<string, number[]> {
  const times = new Map<string, number[]>();
  const push = server.requests.push.bind(server.requests);
  server.requests.push = (...entries) => {
    for (const e of entries) times.set(e.path, [...(times.get(e.path) ?? []), Date.now()]);
    return push(...entries);
  };
  return times;
}

export interface FaultWorldOptions {
  /**
   * Starts a webhook sink (`hook`); off for a test whose config has no webhook subscriber.
   * @defaultValue true
   */
  hook?: boolean;
  /** Starts an SMTP sink (`mail`). @defaultValue false */
  mail?: boolean;
  /** How long the webhook sink takes to answer each request. @defaultValue 0 */
  hookDelayMs?: number;
  /** How long the SMTP sink takes to answer each message. @defaultValue 0 */
  mailDelayMs?: number;
  /**
   * Starts a redis-server of the test's own (`redis`, data under `dir/redis`) for a test that
   * crashes it; the shared Redis is then left alone (nothing is written there to drop).
   * @defaultValue false
   */
  privateRedis?: boolean;
}

/** What one fault test runs against; every field is fresh for each test. */
export interface FaultWorld {
  readonly feeds: FeedServer;
  readonly hook: HookSink;
  readonly mail: MailSink;
  readonly redis: PrivateRedis;
  /** A temp directory: the config, and anything the processes write, go here. */
  readonly dir: string;
  /** A Redis key prefix no other test uses (`nwtest-fault-<name>-…`). */
  readonly prefix: string;
  /** Push every process a test starts: whatever still runs is SIGKILLed after the test. */
  readonly processes: Running[];
}

/** The parts a beforeEach hook fills in, one at a time. */
type Parts = { -readonly [K in Exclude<keyof FaultWorld, "processes">]: FaultWorld[K] };

/**
 * Registers the hooks that set up a fault test's world before each test (feed server, sinks,
 * temp dir, Redis prefix) and tear it down after, even when the test failed half-way: started
 * processes are SIGKILLed, servers closed, the prefix dropped and the directory removed.
 * Read the fields inside a test; reading one that was not asked for throws, naming the option.
 */
export function useFaultWorld(name: string, opts: FaultWorldOptions = {}): FaultWorld {
  // For the error when a test reads a part it did not ask for: the option that starts it.
  const optionIfMissing: Record<keyof Parts, string | null> = {
    feeds: null,
    dir: null,
    prefix: null,
    hook: opts.hook === false ? "hook: true" : null,
    mail: opts.mail ? null : "mail: true",
    redis: opts.privateRedis ? null : "privateRedis: true",
  };
  let parts: Partial<Parts> = {};
  const processes: Running[] = [];

  beforeEach(async () => {
    const current: Partial<Parts> = {};
    parts = current;
    current.prefix = uniquePrefix(`fault-${name}`);
    const dir = await mkdtemp(path.join(tmpdir(), "newswatch-fault-"));
    current.dir = dir;
    if (opts.privateRedis) await mkdir(path.join(dir, "redis"));
    // Each part is recorded as soon as it is up, so a failure of another is still cleaned up.
    const starting: Promise<void>[] = [
      startFeedServer().then((feeds) => {
        current.feeds = feeds;
      }),
    ];
    if (opts.hook !== false)
      starting.push(
        startHookSink({ delayMs: opts.hookDelayMs }).then((hook) => {
          current.hook = hook;
        }),
      );
    if (opts.mail)
      starting.push(
        startMailSink({ delayMs: opts.mailDelayMs }).then((mail) => {
          current.mail = mail;
        }),
      );
    if (opts.privateRedis)
      starting.push(
        startPrivateRedis(path.join(dir, "redis")).then((redis) => {
          current.redis = redis;
        }),
      );
    await Promise.all(starting);
  });

  afterEach(async () => {
    const { feeds, hook, mail, redis, dir, prefix } = parts;
    parts = {};
    await Promise.all(processes.splice(0).map((p) => stop(p, "SIGKILL")));
    await redis?.crash();
    await Promise.all([
      feeds?.close(),
      hook?.close(),
      mail?.close(),
      prefix && !opts.privateRedis ? dropPrefix(prefix) : undefined,
    ]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const get = <K extends keyof Parts>(key: K): Parts[K] => {
    const value = parts[key];
    if (value !== undefined) return value as Parts[K];
    const option = optionIfMissing[key];
    throw new Error(
      option
        ? `fault world "${name}" has no ${key}: pass { ${option} } to useFaultWorld`
        : `fault world "${name}": ${key} exists only while a test runs`,
    );
  };
  // Getters, because the parts are new for every test: a test reads them when it runs.
  const world = { processes } as FaultWorld;
  for (const key of Object.keys(optionIfMissing) as (keyof Parts)[])
    Object.defineProperty(world, key, { get: () => get(key), enumerable: true });
  return world;
}
