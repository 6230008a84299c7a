/**
 * Local servers the benchmarks talk to, run as a child process so their CPU is not counted
 * against newswatch: `webhook` (answers 200, records discovery→arrival latency), `smtp`
 * (accepts everything) and `feeds` (N feeds, 304 unless bumped). Talks to the parent by IPC.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { feedBody } from "./feed-text.ts";

type Send = (message: unknown) => void;
const send: Send = (m) => process.send?.(m);
const mode = process.argv[2];

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", 4096, resolve));
  return (server.address() as AddressInfo).port;
}

async function webhook() {
  let count = 0;
  const latencies: number[] = [];
  const times: number[] = [];
  /** [item id, arrival]: the push benchmark measures from when it pushed each item. */
  const items: [string, number][] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      count++;
      const at = Date.now();
      times.push(at);
      const body = Buffer.concat(chunks).toString("utf8");
      const found = /"discoveredAt":"([^"]+)"/.exec(body);
      if (found?.[1]) latencies.push(at - Date.parse(found[1]));
      const item = /"item":\{"id":"([^"]+)"/.exec(body);
      if (item?.[1]) items.push([item[1], at]);
      res.writeHead(200).end("ok");
    });
  });
  server.keepAliveTimeout = 60_000;
  const port = await listen(server);
  process.on("message", (m: { stats?: boolean }) => {
    if (m.stats) send({ count, latencies, times, items });
  });
  send({ ready: true, url: `http://127.0.0.1:${port}/hook` });
}

async function smtp() {
  let count = 0;
  const times: number[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    maxClients: 1000,
    onData(stream, _session, callback) {
      stream.on("data", () => {});
      stream.on("end", () => {
        count++;
        times.push(Date.now());
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  process.on("message", (m: { stats?: boolean }) => {
    if (m.stats) send({ count, times });
  });
  send({ ready: true, url: `smtp://127.0.0.1:${port}` });
}

/** Feed i serves version v: 100 items; bumping a feed publishes a fresh page of items. */
async function feeds() {
  const perVersion = Number(process.argv[3] ?? "100");
  const times: number[] = [];
  /** When each full (200) response went out: the polls that carried new items. */
  const fullTimes: number[] = [];
  const versions = new Map<number, number>();
  let requests = 0;
  let notModified = 0;
  const server = http.createServer((req, res) => {
    requests++;
    times.push(Date.now());
    const index = Number(/\/f\/(\d+)\.xml/.exec(req.url ?? "")?.[1]);
    if (!Number.isInteger(index)) return void res.writeHead(404).end();
    const version = versions.get(index) ?? 0;
    const etag = `"f${index}v${version}"`;
    if (req.headers["if-none-match"] === etag) {
      notModified++;
      return void res.writeHead(304, { etag }).end();
    }
    fullTimes.push(Date.now());
    res
      .writeHead(200, { "content-type": "application/rss+xml; charset=utf-8", etag })
      .end(feedBody(index, version, perVersion));
  });
  server.keepAliveTimeout = 60_000;
  const port = await listen(server);
  process.on("message", (m: { bump?: number[]; stats?: boolean }) => {
    for (const i of m.bump ?? []) versions.set(i, (versions.get(i) ?? 0) + 1);
    if (m.bump) send({ bumped: m.bump.length });
    if (m.stats) send({ requests, notModified, times, fullTimes });
  });
  send({ ready: true, origin: `http://127.0.0.1:${port}` });
}

const modes: Record<string, () => Promise<void>> = { webhook, smtp, feeds };
const run = mode ? modes[mode] : undefined;
if (!run) throw new Error(`usage: sink-server.ts webhook|smtp|feeds`);
await run();
