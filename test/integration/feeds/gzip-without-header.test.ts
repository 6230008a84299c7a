import zlib from "node:zlib";
import { afterEach, beforeEach, expect, test } from "vitest";
import { DEFAULT_FETCH_LIMITS, type FetchLimits, fetchFeed } from "../../../src/feeds/fetch.ts";
import { FetchError } from "../../../src/feeds/fetch-error.ts";
import { parseFeed } from "../../../src/feeds/parse.ts";
import { type Publisher, RSS, startPublisher } from "./publisher.ts";

// Some hosts serve a pre-compressed feed.xml.gz as the feed with no Content-Encoding.
const limits: FetchLimits = {
  ...DEFAULT_FETCH_LIMITS,
  allowPrivateNetworks: true,
  userAgent: "newswatch-test",
};
let pub: Publisher;
beforeEach(async () => {
  pub = await startPublisher();
});
afterEach(async () => {
  await pub.close();
});

function serve(path: string, body: Buffer) {
  pub.route(path, (_req, res) =>
    res.writeHead(200, { "content-type": "application/rss+xml" }).end(body),
  );
}

test("a gzip body served without Content-Encoding is decoded and parses as the feed", async () => {
  serve("/feed.xml.gz", zlib.gzipSync(Buffer.from(RSS)));
  const r = await fetchFeed({ url: pub.url("/feed.xml.gz") }, limits);
  expect(r.kind === "ok" && r.body).toBe(RSS);
  if (r.kind !== "ok") return;
  expect((await parseFeed(r.body)).entries.length).toBeGreaterThan(0);
});

test("such a body is held to the same cap, counted after decompression", async () => {
  serve("/bomb", zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024)));
  const err = await fetchFeed({ url: pub.url("/bomb") }, { ...limits, maxBodyBytes: 1024 * 1024 })
    .then(() => null)
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(FetchError);
  expect((err as FetchError).category).toBe("too-large");
});

test("plain bodies of one byte or none pass through unchanged", async () => {
  serve("/one", Buffer.from("x"));
  serve("/none", Buffer.alloc(0));
  const one = await fetchFeed({ url: pub.url("/one") }, limits);
  const none = await fetchFeed({ url: pub.url("/none") }, limits);
  expect(one.kind === "ok" && one.body).toBe("x");
  expect(none.kind === "ok" && none.body).toBe("");
});

test("a connection reset in the middle of a plain body is still a connect error, not a timeout", async () => {
  pub.route("/cut", (req, res) => {
    res.writeHead(200, { "content-type": "application/rss+xml" });
    res.write(RSS.slice(0, 40), () => setTimeout(() => req.socket.destroy(), 20));
  });
  const err = await fetchFeed({ url: pub.url("/cut") }, { ...limits, totalTimeoutMs: 5000 })
    .then(() => null)
    .catch((e: unknown) => e);
  expect((err as FetchError).category).toBe("connect");
});
