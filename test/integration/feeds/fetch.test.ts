import { createServer } from "node:net";
import zlib from "node:zlib";
import iconv from "iconv-lite";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { DEFAULT_FETCH_LIMITS, type FetchLimits, fetchFeed } from "../../../src/feeds/fetch.ts";
import { FetchError } from "../../../src/feeds/fetch-error.ts";
import { type Publisher, RSS, startPublisher } from "./publisher.ts";

const limits: FetchLimits = {
  ...DEFAULT_FETCH_LIMITS,
  allowPrivateNetworks: true,
  userAgent: "newswatch-test/0.1 (+http://127.0.0.1/)",
};

let pub: Publisher;
beforeEach(async () => {
  pub = await startPublisher();
});
afterEach(async () => {
  await pub.close();
});

async function failure(p: Promise<unknown>): Promise<FetchError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof FetchError) return err;
    throw err;
  }
  throw new Error("expected the fetch to fail");
}

function redirect(status: number, to: string) {
  return (_req: unknown, res: import("node:http").ServerResponse) =>
    void res.writeHead(status, { location: to }).end();
}

function feed(res: import("node:http").ServerResponse, headers: Record<string, string> = {}) {
  res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8", ...headers }).end(RSS);
}

describe("a plain fetch", () => {
  test("returns the body, its validators and the publisher's cache hints", async () => {
    pub.route("/feed", (_req, res) =>
      feed(res, {
        etag: 'W/"abc-123"',
        "last-modified": "Wed, 25 Nov 2026 10:00:00 GMT",
        "cache-control": "public, max-age=600",
        expires: "Thu, 26 Nov 2026 12:00:00 GMT",
      }),
    );
    const r = await fetchFeed({ url: pub.url("/feed") }, limits);
    expect(r.kind).toBe("ok");
    if (r.kind !== "ok") return;
    expect(r.body).toContain("Taji base");
    expect(r.etag).toBe('W/"abc-123"');
    expect(r.lastModified).toBe("Wed, 25 Nov 2026 10:00:00 GMT");
    expect(r.cache).toEqual({ maxAgeSeconds: 600, expiresAt: "2026-11-26T12:00:00.000Z" });
    expect(r.bytes).toBe(Buffer.byteLength(RSS));
    expect(r.permanentRedirect).toBeNull();
    expect(pub.requests[0]?.headers["user-agent"]).toBe(limits.userAgent);
    expect(pub.requests[0]?.headers["accept-encoding"]).toBe("gzip, deflate, br");
  });

  test("sends stored validators byte for byte and reports 304 as not-modified", async () => {
    const etag = 'W/"5f3c-\u0021weird"';
    const lastModified = "Tue, 24 Nov 2026 08:00:00 GMT";
    pub.route("/feed", (req, res) => {
      if (
        req.headers["if-none-match"] === etag &&
        req.headers["if-modified-since"] === lastModified
      ) {
        res.writeHead(304, { "cache-control": "max-age=900" }).end();
      } else feed(res);
    });
    const r = await fetchFeed({ url: pub.url("/feed"), etag, lastModified }, limits);
    expect(r).toEqual({
      kind: "not-modified",
      finalUrl: pub.url("/feed"),
      permanentRedirect: null,
      cache: { maxAgeSeconds: 900, expiresAt: null },
    });
  });

  test("decodes a windows-1256 Arabic feed named in the Content-Type charset", async () => {
    const xml =
      '<?xml version="1.0"?><rss version="2.0"><channel><title>أخبار بغداد</title></channel></rss>';
    pub.route("/ar", (_req, res) =>
      res
        .writeHead(200, { "content-type": "text/xml; charset=windows-1256" })
        .end(iconv.encode(xml, "windows-1256")),
    );
    const r = await fetchFeed({ url: pub.url("/ar") }, limits);
    expect(r.kind === "ok" && r.body).toContain("أخبار بغداد");
  });
});

describe("compressed bodies", () => {
  const cases: [string, (b: Buffer) => Buffer][] = [
    ["gzip", zlib.gzipSync],
    ["br", zlib.brotliCompressSync],
    ["deflate", zlib.deflateSync],
    ["deflate", zlib.deflateRawSync],
  ];
  test.each(cases)("a %s body is decompressed", async (encoding, compress) => {
    pub.route("/z", (_req, res) =>
      res
        .writeHead(200, { "content-type": "application/rss+xml", "content-encoding": encoding })
        .end(compress(Buffer.from(RSS))),
    );
    const r = await fetchFeed({ url: pub.url("/z") }, limits);
    expect(r.kind === "ok" && r.body).toBe(RSS);
  });

  test("a body that claims gzip but is not is a parse error, not a hang", async () => {
    pub.route("/broken", (_req, res) =>
      res
        .writeHead(200, { "content-type": "application/rss+xml", "content-encoding": "gzip" })
        .end("this is not gzip"),
    );
    const err = await failure(fetchFeed({ url: pub.url("/broken") }, limits));
    expect(err.category).toBe("parse");
    expect(err.message).toContain("decompressed");
  });

  test("a connection reset in the middle of a gzip body fails at once as a connect error", async () => {
    const gz = zlib.gzipSync(Buffer.from(RSS.repeat(200)));
    pub.route("/cut", (req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml", "content-encoding": "gzip" });
      res.write(gz.subarray(0, gz.length / 2), () => setTimeout(() => req.socket.destroy(), 20));
    });
    const started = Date.now();
    const err = await failure(
      fetchFeed({ url: pub.url("/cut") }, { ...limits, totalTimeoutMs: 5000 }),
    );
    expect(err.category).toBe("connect");
    expect(Date.now() - started).toBeLessThan(1000);
  });

  test("a gzip bomb is stopped at the cap, counted after decompression", async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(200 * 1024 * 1024)); // ~200 kB on the wire
    pub.route("/bomb", (_req, res) =>
      res
        .writeHead(200, { "content-type": "application/rss+xml", "content-encoding": "gzip" })
        .end(bomb),
    );
    const started = Date.now();
    const err = await failure(
      fetchFeed({ url: pub.url("/bomb") }, { ...limits, maxBodyBytes: 1024 * 1024 }),
    );
    expect(err.category).toBe("too-large");
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe("HTTP errors", () => {
  test.each([
    [404, false],
    [500, true],
  ])("HTTP %i is an http error with its status", async (status, retryable) => {
    pub.route("/x", (_req, res) => void res.writeHead(status).end("nope"));
    const err = await failure(fetchFeed({ url: pub.url("/x") }, limits));
    expect(err).toMatchObject({ category: "http", status, retryable, gone: false });
  });

  test("an error page that never ends does not keep the connection busy", async () => {
    let closed = false;
    pub.route("/x", (_req, res) => {
      res.writeHead(500, { "content-type": "text/html" });
      const t = setInterval(() => res.write("<p>still failing</p>"), 20);
      res.on("close", () => {
        clearInterval(t);
        closed = true;
      });
    });
    const err = await failure(fetchFeed({ url: pub.url("/x") }, limits));
    expect(err.status).toBe(500);
    await new Promise((r) => setTimeout(r, 200));
    expect(closed).toBe(true);
  });

  test("429 with Retry-After in seconds tells when to come back", async () => {
    pub.route("/x", (_req, res) => void res.writeHead(429, { "retry-after": "120" }).end());
    const err = await failure(fetchFeed({ url: pub.url("/x") }, limits));
    expect(err).toMatchObject({
      category: "http",
      status: 429,
      retryAfterMs: 120_000,
      retryable: true,
    });
  });

  test("503 with Retry-After as an HTTP date tells when to come back", async () => {
    const when = new Date(Date.now() + 3_600_000).toUTCString();
    pub.route("/x", (_req, res) => void res.writeHead(503, { "retry-after": when }).end());
    const err = await failure(fetchFeed({ url: pub.url("/x") }, limits));
    expect(err.status).toBe(503);
    expect(err.retryAfterMs).toBeGreaterThan(3_590_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(3_600_000);
  });

  test("410 marks the feed as gone", async () => {
    pub.route("/x", (_req, res) => void res.writeHead(410).end());
    const err = await failure(fetchFeed({ url: pub.url("/x") }, limits));
    expect(err).toMatchObject({ category: "http", status: 410, gone: true, retryable: false });
  });
});

describe("redirects", () => {
  test("a chain of 301 and 308 is reported as a permanent move to the final URL", async () => {
    pub.route("/old", redirect(301, "/middle"));
    pub.route("/middle", redirect(308, "/new"));
    pub.route("/new", (_req, res) => feed(res));
    const r = await fetchFeed({ url: pub.url("/old") }, limits);
    expect(r.finalUrl).toBe(pub.url("/new"));
    expect(r.permanentRedirect).toBe(pub.url("/new"));
  });

  test.each([302, 307])("a %i anywhere in the chain is not a permanent move", async (status) => {
    pub.route("/old", redirect(301, "/middle"));
    pub.route("/middle", redirect(status, "/new"));
    pub.route("/new", (_req, res) => feed(res));
    const r = await fetchFeed({ url: pub.url("/old") }, limits);
    expect(r.kind).toBe("ok");
    expect(r.finalUrl).toBe(pub.url("/new"));
    expect(r.permanentRedirect).toBeNull();
  });

  test("five hops are followed, a sixth is an error", async () => {
    for (let i = 0; i < 6; i++) pub.route(`/h${i}`, redirect(301, `/h${i + 1}`));
    pub.route("/h6", (_req, res) => feed(res));
    const err = await failure(fetchFeed({ url: pub.url("/h0") }, limits));
    expect(err.category).toBe("redirect");
    expect(err.message).toContain("more than 5 redirects");
    const ok = await fetchFeed({ url: pub.url("/h1") }, limits);
    expect(ok.kind).toBe("ok");
  });

  test("a redirect loop is an error, not five wasted requests", async () => {
    pub.route("/a", redirect(302, "/b"));
    pub.route("/b", redirect(302, "/a"));
    const err = await failure(fetchFeed({ url: pub.url("/a") }, limits));
    expect(err.category).toBe("redirect");
    expect(err.message).toContain("loop");
    expect(pub.requests).toHaveLength(2);
  });

  test("a 3xx without Location is an error", async () => {
    pub.route("/a", (_req, res) => void res.writeHead(301).end());
    const err = await failure(fetchFeed({ url: pub.url("/a") }, limits));
    expect(err.category).toBe("redirect");
  });
});

describe("limits", () => {
  test("a server trickling one byte at a time is cut off at the total deadline", async () => {
    pub.route("/slow", (_req, res) => {
      res.writeHead(200, { "content-type": "application/rss+xml" });
      const t = setInterval(() => res.write("<"), 100);
      res.on("close", () => clearInterval(t));
    });
    const started = Date.now();
    const err = await failure(
      fetchFeed({ url: pub.url("/slow") }, { ...limits, totalTimeoutMs: 600 }),
    );
    expect(err.category).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(5000); // without the deadline it never ends
  });

  test("a server that never answers is cut off at the total deadline", async () => {
    pub.route("/silent", () => {});
    const err = await failure(
      fetchFeed({ url: pub.url("/silent") }, { ...limits, totalTimeoutMs: 300 }),
    );
    expect(err.category).toBe("timeout");
  });

  test.each([
    ["with", true],
    ["without", false],
  ])("a body over the cap %s Content-Length is refused", async (_label, withLength) => {
    const big = "x".repeat(5000);
    pub.route("/big", (_req, res) => {
      res.writeHead(200, withLength ? { "content-length": String(big.length) } : {});
      res.write(big.slice(0, 2500));
      res.end(big.slice(2500));
    });
    const err = await failure(
      fetchFeed({ url: pub.url("/big") }, { ...limits, maxBodyBytes: 1000 }),
    );
    expect(err.category).toBe("too-large");
  });

  test("an aborted signal cancels the fetch", async () => {
    pub.route("/silent", () => {});
    const err = await failure(
      fetchFeed({ url: pub.url("/silent") }, limits, AbortSignal.timeout(100)),
    );
    expect(err.category).toBe("timeout");
    expect(err.message).toContain("cancelled");
  });
});

describe("network failures and the address policy", () => {
  test("a refused port is a connect error", async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const port = (s.address() as import("node:net").AddressInfo).port;
    await new Promise<void>((r) => s.close(() => r()));
    const err = await failure(fetchFeed({ url: `http://127.0.0.1:${port}/feed` }, limits));
    expect(err).toMatchObject({ category: "connect", retryable: true });
  });

  test("a handshake that never completes is cut off at the connect timeout", async () => {
    const sockets: import("node:net").Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket)); // accepts TCP, never speaks TLS
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as import("node:net").AddressInfo).port;
    try {
      const started = Date.now();
      const err = await failure(
        fetchFeed({ url: `https://127.0.0.1:${port}/feed` }, { ...limits, connectTimeoutMs: 200 }),
      );
      expect(err.category).toBe("timeout");
      expect(err.message).toContain("no connection within 200 ms");
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  test("https to a server that does not speak TLS is a tls error", async () => {
    const err = await failure(
      fetchFeed({ url: pub.url("/feed").replace("http:", "https:") }, limits),
    );
    expect(err.category).toBe("tls");
  });

  test("every redirect hop is checked: a Location outside http(s) is refused", async () => {
    pub.route("/a", redirect(302, "file:///etc/passwd"));
    const err = await failure(fetchFeed({ url: pub.url("/a") }, limits));
    expect(err.category).toBe("blocked");
  });

  test("a loopback address is refused when private networks are not allowed", async () => {
    pub.route("/feed", (_req, res) => feed(res));
    const strict = { ...limits, allowPrivateNetworks: false };
    for (const url of [pub.url("/feed"), pub.url("/feed").replace("127.0.0.1", "localhost")]) {
      const err = await failure(fetchFeed({ url }, strict));
      expect(err.category).toBe("blocked");
    }
    expect(pub.requests).toHaveLength(0);
  });

  test("only http and https are fetched", async () => {
    const err = await failure(fetchFeed({ url: "file:///etc/passwd" }, limits));
    expect(err.category).toBe("blocked");
  });

  test("a host that does not resolve is a dns error", async () => {
    const err = await failure(fetchFeed({ url: "http://no-such-host.invalid/feed" }, limits));
    expect(err.category).toBe("dns");
  });
});
