import type { IncomingMessage } from "node:http";
import { refusedUrlReason } from "../net/guarded-lookup.ts";
import { parseRetryAfter } from "../net/retry-after.ts";
import { decodeBody } from "./decode.ts";
import { FetchError } from "./fetch-error.ts";
import { openGet } from "./http-get.ts";
import { readBody } from "./read-body.ts";
import { type CacheHints, cacheHints } from "./response-headers.ts";

export type { CacheHints } from "./response-headers.ts";

export interface FetchRequest {
  url: string;
  /** The ETag exactly as the server last sent it, quotes and W/ included. */
  etag?: string | null;
  /** The Last-Modified exactly as the server last sent it. */
  lastModified?: string | null;
}

export interface FetchLimits {
  /** Time allowed for DNS and the TCP (and TLS) handshake of each hop. @defaultValue 10 s */
  connectTimeoutMs: number;
  /** Deadline for the whole fetch, redirects and body included. @defaultValue 30 s */
  totalTimeoutMs: number;
  /** Cap on the body, counted after decompression. @defaultValue 10 MiB */
  maxBodyBytes: number;
  /** Redirects followed before giving up; a loop fails at once. @defaultValue 5 */
  maxRedirects: number;
  /** Lets feeds reach loopback and private addresses (security.allowPrivateNetworks). */
  allowPrivateNetworks: boolean;
  /** Sent as User-Agent: name newswatch and its version so publishers know who polls them. */
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

/** The limits every fetch of a poll runs under, from the config's defaults and security. */
export function fetchLimits(
  config: {
    defaults: { connectTimeout: number; timeout: number; maxBodyBytes: number };
    security: { allowPrivateNetworks: boolean };
  },
  userAgent: string,
): FetchLimits {
  return {
    connectTimeoutMs: config.defaults.connectTimeout,
    totalTimeoutMs: config.defaults.timeout,
    maxBodyBytes: config.defaults.maxBodyBytes,
    maxRedirects: DEFAULT_FETCH_LIMITS.maxRedirects,
    allowPrivateNetworks: config.security.allowPrivateNetworks,
    userAgent,
  };
}

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
  if (signal?.aborted) deadline.abort();
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
    const res = await openGet(url, {
      headers: requestHeaders(req, limits),
      connectTimeoutMs: limits.connectTimeoutMs,
      totalTimeoutMs: limits.totalTimeoutMs,
      allowPrivateNetworks: limits.allowPrivateNetworks,
      deadline,
      outer,
    });
    const status = res.statusCode ?? 0;
    if (isRedirect(status)) {
      // Destroyed, not drained: a body we do not want must not keep a socket busy after the
      // deadline is gone (a server could trickle it forever).
      res.destroy();
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
      res.destroy();
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
      ? // Not capped here: the schedule holds a feed back at most a week (feeds/schedule.ts).
        parseRetryAfter(
          header(res, "retry-after") ?? undefined,
          Date.now(),
          Number.POSITIVE_INFINITY,
        )
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

function requestHeaders(req: FetchRequest, limits: FetchLimits): Record<string, string> {
  const headers: Record<string, string> = {
    "user-agent": limits.userAgent,
    accept: ACCEPT,
    "accept-encoding": "gzip, deflate, br",
  };
  // Validators go back byte for byte (RFC 9110 §13.1): an altered ETag never matches, and
  // every poll becomes a full download.
  if (req.etag) headers["if-none-match"] = req.etag;
  if (req.lastModified) headers["if-modified-since"] = req.lastModified;
  return headers;
}
