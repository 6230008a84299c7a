import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { BlockedAddressError, guardedLookup, refusedUrlReason } from "../net/guarded-lookup.ts";
import { decodeBody } from "./decode.ts";
import { FetchError } from "./fetch-error.ts";
import { readBody } from "./read-body.ts";
import { type CacheHints, cacheHints, parseRetryAfter } from "./response-headers.ts";

export type { CacheHints } from "./response-headers.ts";

export interface FetchRequest {
  url: string;
  /** The ETag exactly as the server last sent it, quotes and W/ included. */
  etag?: string | null;
  /** The Last-Modified exactly as the server last sent it. */
  lastModified?: string | null;
}

export interface FetchLimits {
  /** Time allowed for DNS and the TCP (and TLS) handshake of each hop. */
  connectTimeoutMs: number;
  /** Deadline for the whole fetch, redirects and body included. */
  totalTimeoutMs: number;
  /** Cap on the body after decompression. */
  maxBodyBytes: number;
  maxRedirects: number;
  allowPrivateNetworks: boolean;
  userAgent: string;
}

export const DEFAULT_FETCH_LIMITS: Omit<FetchLimits, "allowPrivateNetworks" | "userAgent"> = {
  connectTimeoutMs: 10_000,
  totalTimeoutMs: 30_000,
  maxBodyBytes: 10 * 1024 * 1024,
  maxRedirects: 5,
};

export type FetchResult =
  | { kind: "not-modified"; finalUrl: string; permanentRedirect: string | null; cache: CacheHints }
  | {
      kind: "ok";
      /** Decoded text (see decode.ts for the charset precedence). */
      body: string;
      contentType: string | null;
      etag: string | null;
      lastModified: string | null;
      finalUrl: string;
      /** Where every hop was 301/308: the URL the publisher wants us to use from now on. */
      permanentRedirect: string | null;
      cache: CacheHints;
      /** Body size after decompression. */
      bytes: number;
    };

const ACCEPT =
  "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, application/json;q=0.7, */*;q=0.1";

/**
 * Fetches one feed with conditional GET. Every hop is checked against the address policy (the
 * URL here, the resolved address in the lookup, which the socket then connects to), so a
 * redirect or a rebinding DNS answer cannot reach a private address. Throws FetchError.
 */
export async function fetchFeed(
  req: FetchRequest,
  limits: FetchLimits,
  signal?: AbortSignal,
): Promise<FetchResult> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), limits.totalTimeoutMs);
  const onOuterAbort = () => deadline.abort();
  signal?.addEventListener("abort", onOuterAbort, { once: true });
  try {
    return await followRedirects(req, limits, deadline.signal, signal);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onOuterAbort);
  }
}

async function followRedirects(
  req: FetchRequest,
  limits: FetchLimits,
  deadline: AbortSignal,
  outer: AbortSignal | undefined,
): Promise<FetchResult> {
  let url = parseUrl(req.url);
  const visited = new Set<string>([url.href]);
  let allPermanent = true;
  for (let hops = 0; ; hops++) {
    const refused = refusedUrlReason(url, limits.allowPrivateNetworks);
    if (refused) throw new FetchError("blocked", `${url.href}: ${refused}`);
    const res = await open(url, req, limits, deadline, outer);
    const status = res.statusCode ?? 0;
    if (isRedirect(status)) {
      res.resume();
      const location = res.headers.location;
      if (!location)
        throw new FetchError("redirect", `${url.href}: ${status} without a Location header`, {
          status,
        });
      if (hops >= limits.maxRedirects) {
        throw new FetchError("redirect", `${req.url}: more than ${limits.maxRedirects} redirects`, {
          status,
        });
      }
      const next = parseUrl(location, url);
      if (visited.has(next.href))
        throw new FetchError("redirect", `${req.url}: redirect loop at ${next.href}`, { status });
      visited.add(next.href);
      allPermanent &&= status === 301 || status === 308;
      url = next;
      continue;
    }
    const permanentRedirect = hops > 0 && allPermanent ? url.href : null;
    const cache = cacheHints(res.headers);
    if (status === 304) {
      res.resume();
      return { kind: "not-modified", finalUrl: url.href, permanentRedirect, cache };
    }
    if (status < 200 || status >= 300) {
      res.resume();
      throw httpError(url, res);
    }
    const bytes = await readBody(res, url, limits.maxBodyBytes, deadline, outer);
    const contentType = res.headers["content-type"] ?? null;
    return {
      kind: "ok",
      body: decodeBody(bytes, contentType),
      contentType,
      etag: header(res, "etag"),
      lastModified: header(res, "last-modified"),
      finalUrl: url.href,
      permanentRedirect,
      cache,
      bytes: bytes.length,
    };
  }
}

function parseUrl(raw: string, base?: URL): URL {
  try {
    return new URL(raw, base);
  } catch (cause) {
    throw new FetchError("redirect", `not a valid URL: ${raw}`, { cause, retryable: false });
  }
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function header(res: IncomingMessage, name: string): string | null {
  const v = res.headers[name];
  return typeof v === "string" ? v : null;
}

function httpError(url: URL, res: IncomingMessage): FetchError {
  const status = res.statusCode ?? 0;
  const retryAfterMs =
    status === 429 || status === 503
      ? parseRetryAfter(header(res, "retry-after") ?? undefined)
      : undefined;
  const retryable = status >= 500 || status === 408 || status === 429;
  const gone = status === 410 ? " (gone: the publisher says this feed will not come back)" : "";
  return new FetchError(
    "http",
    `${url.href}: HTTP ${status} ${res.statusMessage ?? ""}`.trim() + gone,
    {
      status,
      retryable,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    },
  );
}

// Keep-alive pools, one per policy: a socket opened under allowPrivateNetworks must never be
// reused for a request that forbids private addresses.
const agents = {
  http: [
    new HttpAgent({ keepAlive: true, maxFreeSockets: 64 }),
    new HttpAgent({ keepAlive: true, maxFreeSockets: 64 }),
  ],
  https: [
    new HttpsAgent({ keepAlive: true, maxFreeSockets: 64 }),
    new HttpsAgent({ keepAlive: true, maxFreeSockets: 64 }),
  ],
};

function open(
  url: URL,
  req: FetchRequest,
  limits: FetchLimits,
  deadline: AbortSignal,
  outer: AbortSignal | undefined,
): Promise<IncomingMessage> {
  const https = url.protocol === "https:";
  const headers: Record<string, string> = {
    "user-agent": limits.userAgent,
    accept: ACCEPT,
    "accept-encoding": "gzip, deflate, br",
  };
  // Validators go back byte for byte (RFC 9110 §13.1): an altered ETag never matches, and
  // every poll becomes a full download.
  if (req.etag) headers["if-none-match"] = req.etag;
  if (req.lastModified) headers["if-modified-since"] = req.lastModified;
  const policy = limits.allowPrivateNetworks ? 1 : 0;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (err: FetchError) => {
      if (settled) return;
      settled = true;
      cleanup();
      request.destroy();
      reject(err);
    };
    const request = (https ? httpsRequest : httpRequest)(url, {
      method: "GET",
      headers,
      lookup: guardedLookup(limits.allowPrivateNetworks),
      agent: https ? agents.https[policy] : agents.http[policy],
    });
    const connectTimer = setTimeout(
      () =>
        fail(
          new FetchError(
            "timeout",
            `${url.href}: no connection within ${limits.connectTimeoutMs} ms`,
          ),
        ),
      limits.connectTimeoutMs,
    );
    const onAbort = () => fail(abortError(url, limits, outer));
    const cleanup = () => {
      clearTimeout(connectTimer);
      deadline.removeEventListener("abort", onAbort);
    };
    if (deadline.aborted) return onAbort();
    deadline.addEventListener("abort", onAbort, { once: true });
    request.on("socket", (socket) => {
      const connected = () => clearTimeout(connectTimer);
      if (!socket.connecting) connected();
      else socket.once(https ? "secureConnect" : "connect", connected);
    });
    request.on("error", (err) => fail(networkError(url, err)));
    request.on("response", (res) => {
      if (settled) return void res.destroy();
      settled = true;
      cleanup();
      resolve(res);
    });
    request.end();
  });
}

function abortError(url: URL, limits: FetchLimits, outer: AbortSignal | undefined): FetchError {
  if (outer?.aborted)
    return new FetchError("timeout", `${url.href}: fetch cancelled`, { cause: outer.reason });
  return new FetchError("timeout", `${url.href}: not finished within ${limits.totalTimeoutMs} ms`);
}

function networkError(url: URL, err: Error): FetchError {
  if (err instanceof BlockedAddressError)
    return new FetchError("blocked", `${url.href}: ${err.message}`, { cause: err });
  const code = (err as NodeJS.ErrnoException).code ?? "";
  const say = `${url.href}: ${err.message}`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "ENODATA") {
    return new FetchError("dns", say, { cause: err });
  }
  if (
    /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL)/.test(code) ||
    /certificate|SSL|TLS/.test(err.message)
  ) {
    return new FetchError("tls", say, { cause: err });
  }
  if (code === "ETIMEDOUT") return new FetchError("timeout", say, { cause: err });
  return new FetchError("connect", say, { cause: err });
}
