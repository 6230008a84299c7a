/**
 * Newswatch beside a peer: `npm run bench:peer`. The same 50 local feeds of 10 items, served
 * first from 50 loopback hosts (127.0.0.2 … 127.0.0.51), then all from one host (127.0.0.2),
 * are read by rss2email (Debian's `r2e`, skipped with a message when it is not installed) and
 * by `newswatch run-once` (the built CLI, as a cron job would run it), each mailing one message
 * per item to the same local SMTP sink. Each tool gets a first run (500 emails) and a rerun
 * with no news (every answer a 304). Wall time, CPU and peak memory come from /usr/bin/time for
 * the whole process; emails, requests and 304s from the sink and the feed servers here.
 * Newswatch runs with its defaults (maxConcurrentPerHost 2, hostSpacing 1s), so its first run
 * on one host is spaced on purpose; rss2email has no per-host limit.
 */
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { dropPrefix } from "../test/helpers/redis.ts";
import { benchPrefix, fmt } from "./lib/harness.ts";

const FEEDS = 50;
const ITEMS = 10;
const HOSTS = Array.from({ length: FEEDS }, (_, i) => `127.0.0.${i + 2}`);
const ROOT = path.resolve(import.meta.dirname, "..");
const TIME = "/usr/bin/time";
/** Extra node flags for the newswatch runs, e.g. PEER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p". */
const NODE_ARGS = (process.env.PEER_NODE_ARGS ?? "").split(" ").filter(Boolean);
/** PEER_ONLY=newswatch skips rss2email (when profiling newswatch). */
const ONLY = process.env.PEER_ONLY;

interface Counts {
  requests: number;
  notModified: number;
  emails: number;
}

interface Run extends Counts {
  tool: string;
  layout: string;
  pass: string;
  wall: number;
  cpu: number;
  peakMb: number;
  code: number | null;
}

const counts: Counts = { requests: 0, notModified: 0, emails: 0 };

/** A made-up word per (feed, item, slot): no two items share a title word, so none group. */
function word(...n: number[]): string {
  const syllables = ["ba", "ko", "ri", "tu", "me", "sa", "lo", "vi", "da", "ne", "pu", "ge"];
  let x = n.reduce((a, b) => a * 131 + b + 7, 17);
  let w = "";
  for (let i = 0; i < 4; i++) {
    w += syllables[x % syllables.length];
    x = Math.floor(x / syllables.length) + i * 5;
  }
  return w;
}

function feedXml(feed: number): string {
  const now = Date.now();
  const items = Array.from({ length: ITEMS }, (_, k) => {
    const title = `${word(feed, k, 1)} ${word(feed, k, 2)} ${word(feed, k, 3)} bulletin`;
    return `<item><title>${title}</title><link>http://desk${feed}.example/${k}</link><guid>desk${feed}-${k}</guid><pubDate>${new Date(now - k * 60_000).toUTCString()}</pubDate><description>${title}: ${word(feed, k, 4)} ${word(feed, k, 5)} ${word(feed, k, 6)}.</description></item>`;
  });
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Desk ${feed}</title><link>http://desk${feed}.example/</link><description>Desk ${feed}</description>${items.join("")}</channel></rss>`;
}

/** One server per loopback host, same port: feed i is /f/i.xml, with an ETag and 304s. */
async function startFeeds(): Promise<{ port: number; close: () => Promise<void> }> {
  const bodies = Array.from({ length: FEEDS }, (_, i) => feedXml(i));
  const etags = bodies.map((b) => `"${createHash("sha1").update(b).digest("hex").slice(0, 16)}"`);
  const lastModified = new Date().toUTCString();
  const handler: http.RequestListener = (req, res) => {
    counts.requests++;
    const i = Number(/^\/f\/(\d+)\.xml$/.exec(req.url ?? "")?.[1]);
    const body = bodies[i];
    if (body === undefined) return void res.writeHead(404).end();
    const headers = { etag: etags[i], "last-modified": lastModified };
    if (req.headers["if-none-match"] === etags[i]) {
      counts.notModified++;
      return void res.writeHead(304, headers).end();
    }
    res.writeHead(200, { ...headers, "content-type": "application/rss+xml; charset=utf-8" });
    res.end(body);
  };
  const servers: http.Server[] = [];
  let port = 0;
  for (const host of HOSTS) {
    const server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    port = (server.address() as AddressInfo).port;
    servers.push(server);
  }
  return {
    port,
    close: async () => {
      for (const s of servers) {
        s.closeAllConnections();
        await new Promise((r) => s.close(r));
      }
    },
  };
}

async function startSmtp(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      stream.on("data", () => {});
      stream.on("end", () => {
        counts.emails++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** Runs a command under /usr/bin/time: wall, CPU (user + system) and peak RSS of the process. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  return new Promise<{ wall: number; cpu: number; peakMb: number; code: number | null }>(
    (resolve, reject) => {
      const child = spawn(TIME, ["-f", "TIMED %e %U %S %M", cmd, ...args], {
        cwd,
        env: { ...process.env, ...env },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      child.on("error", reject);
      child.on("exit", (code) => {
        const m = /TIMED ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(stderr);
        if (!m) return reject(new Error(`${cmd} ${args.join(" ")}: no timing\n${stderr}`));
        if (code !== 0) process.stderr.write(stderr.slice(-1500));
        resolve({
          wall: Number(m[1]),
          cpu: Number(m[2]) + Number(m[3]),
          peakMb: Math.round(Number(m[4]) / 1024),
          code,
        });
      });
    },
  );
}

function feedUrls(port: number, oneHost: boolean): string[] {
  return Array.from(
    { length: FEEDS },
    (_, i) => `http://${oneHost ? HOSTS[0] : HOSTS[i]}:${port}/f/${i}.xml`,
  );
}

async function rss2emailSetup(dir: string, urls: string[], smtpPort: number): Promise<string[]> {
  const base = ["-c", path.join(dir, "r2e.cfg"), "-d", path.join(dir, "r2e.json")];
  execFileSync("r2e", [...base, "new", "desk@example.org"], { stdio: "ignore" });
  const sections = urls.map((u, i) => `[feed.desk${i}]\nurl = ${u}\n`).join("\n");
  const settings = [
    "[DEFAULT]",
    "to = desk@example.org",
    "from = bench@example.org",
    "email-protocol = smtp",
    `smtp-server = 127.0.0.1:${smtpPort}`,
    "smtp-auth = False",
    "smtp-ssl = False",
    "",
  ].join("\n");
  await writeFile(path.join(dir, "r2e.cfg"), `${settings}\n${sections}`);
  return [...base, "run"];
}

async function newswatchSetup(dir: string, urls: string[], smtpPort: number): Promise<string[]> {
  const feeds = urls.map((u, i) => `  - { id: desk${i}, url: "${u}", backfill: 30d }`).join("\n");
  await writeFile(
    path.join(dir, "newswatch.yaml"),
    `security: { allowPrivateNetworks: true }
email: { from: "Bench <bench@example.org>", smtp: "smtp://127.0.0.1:${smtpPort}" }
feeds:
${feeds}
watchlists:
  - { id: bulletins, title: Bulletins, query: bulletin }
subscribers:
  - { id: desk, email: desk@example.org, watchlists: [bulletins], maxPerHour: unlimited }
`,
  );
  return [
    path.join(ROOT, "bin/newswatch.js"),
    "run-once",
    "--config",
    path.join(dir, "newswatch.yaml"),
    "--retry-for",
    "60s",
  ];
}

async function measure(
  tool: "rss2email" | "newswatch",
  layout: string,
  urls: string[],
  smtpPort: number,
): Promise<Run[]> {
  const dir = await mkdtemp(path.join(tmpdir(), `newswatch-peer-${tool}-`));
  const prefix = benchPrefix(`peer-${layout.replace(/\W/g, "")}`);
  try {
    const [cmd, args] =
      tool === "rss2email"
        ? ["r2e", await rss2emailSetup(dir, urls, smtpPort)]
        : [process.execPath, [...NODE_ARGS, ...(await newswatchSetup(dir, urls, smtpPort))]];
    const env = { NEWSWATCH_PREFIX: prefix, LOG_LEVEL: "warn" };
    const runs: Run[] = [];
    for (const pass of ["first run", "rerun, no news"]) {
      const before = { ...counts };
      const t = await timed(cmd, args, env, dir);
      runs.push({
        tool,
        layout,
        pass,
        ...t,
        requests: counts.requests - before.requests,
        notModified: counts.notModified - before.notModified,
        emails: counts.emails - before.emails,
      });
    }
    return runs;
  } finally {
    await dropPrefix(prefix);
    await rm(dir, { recursive: true, force: true });
  }
}

function table(runs: Run[]): string {
  const head = "| tool | feeds on | pass | wall s | CPU s | peak MB | emails | requests | 304s |";
  const rows = runs.map(
    (r) =>
      `| ${r.tool} | ${r.layout} | ${r.pass} | ${fmt(r.wall, 2)} | ${fmt(r.cpu, 2)} | ${r.peakMb} | ${r.emails} | ${r.requests} | ${r.notModified} |${r.code === 0 ? "" : ` exit ${r.code}`}`,
  );
  return [head, "| --- | --- | --- | --- | --- | --- | --- | --- | --- |", ...rows].join("\n");
}

function ratios(runs: Run[]): string {
  const lines: string[] = [];
  const find = (tool: string, layout: string, pass: string) =>
    runs.find((r) => r.tool === tool && r.layout === layout && r.pass === pass);
  for (const layout of new Set(runs.map((r) => r.layout))) {
    for (const pass of ["first run", "rerun, no news"]) {
      const peer = find("rss2email", layout, pass);
      const ours = find("newswatch", layout, pass);
      if (!peer || !ours) continue;
      lines.push(
        `${layout}, ${pass}: newswatch/rss2email wall ${fmt(ours.wall / peer.wall, 2)}×, CPU ${fmt(ours.cpu / peer.cpu, 2)}×, peak memory ${fmt(ours.peakMb / peer.peakMb, 2)}×`,
      );
    }
  }
  return lines.join("\n");
}

if (!existsSync(TIME)) {
  console.error(`bench:peer needs ${TIME} (Debian package "time") for CPU and peak memory`);
  process.exit(1);
}
if (!existsSync(path.join(ROOT, "dist/BUILT"))) {
  console.error("bench:peer runs the built CLI: run `npm run build` first");
  process.exit(1);
}
let hasPeer = true;
try {
  execFileSync("r2e", ["--version"], { stdio: "ignore" });
} catch {
  hasPeer = false;
  console.log("rss2email is not installed (apt-get install rss2email): measuring newswatch alone");
}
const load = execFileSync("uptime", { encoding: "utf8" }).trim();
const [feeds, smtp] = await Promise.all([startFeeds(), startSmtp()]);
const runs: Run[] = [];
try {
  for (const [layout, oneHost] of [
    ["50 hosts", false],
    ["one host", true],
  ] as const) {
    if (ONLY === "newswatch" && oneHost) continue;
    const urls = feedUrls(feeds.port, oneHost);
    if (hasPeer && ONLY !== "newswatch")
      runs.push(...(await measure("rss2email", layout, urls, smtp.port)));
    runs.push(...(await measure("newswatch", layout, urls, smtp.port)));
  }
} finally {
  await Promise.all([feeds.close(), smtp.close()]);
}
console.log(`${new Date().toISOString()}  load: ${load}`);
console.log(table(runs));
console.log(ratios(runs));
console.log(`after: ${execFileSync("uptime", { encoding: "utf8" }).trim()}`);
process.exit(0);
