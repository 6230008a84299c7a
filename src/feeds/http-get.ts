import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { BlockedAddressError, guardedLookup } from "../net/guarded-lookup.ts";
import { FetchError } from "./fetch-error.ts";

export interface GetOptions {
  headers: Record<string, string>;
  connectTimeoutMs: number;
  /** Only for the message when the deadline fires. */
  totalTimeoutMs: number;
  allowPrivateNetworks: boolean;
  /** Fires at the fetch's total deadline (or when the caller cancels). */
  deadline: AbortSignal;
  /** The caller's own signal, to tell a cancellation from a deadline. */
  outer: AbortSignal | undefined;
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

/**
 * Sends one GET and resolves with the response head; the body is the caller's to read. The
 * lookup refuses private addresses and the socket connects to exactly the address it checked.
 * The connect timer covers DNS, TCP and TLS; the deadline covers everything. Rejects with
 * FetchError only.
 */
export function openGet(url: URL, opts: GetOptions): Promise<IncomingMessage> {
  const https = url.protocol === "https:";
  const policy = opts.allowPrivateNetworks ? 1 : 0;
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
      headers: opts.headers,
      lookup: guardedLookup(opts.allowPrivateNetworks),
      agent: https ? agents.https[policy] : agents.http[policy],
    });
    const connectTimer = setTimeout(
      () =>
        fail(
          new FetchError(
            "timeout",
            `${url.href}: no connection within ${opts.connectTimeoutMs} ms`,
          ),
        ),
      opts.connectTimeoutMs,
    );
    const onAbort = () => fail(abortError(url, opts));
    const cleanup = () => {
      clearTimeout(connectTimer);
      opts.deadline.removeEventListener("abort", onAbort);
    };
    if (opts.deadline.aborted) return onAbort();
    opts.deadline.addEventListener("abort", onAbort, { once: true });
    request.on("socket", (socket) => {
      const connected = () => clearTimeout(connectTimer);
      if (!socket.connecting)
        connected(); // a kept-alive socket
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

function abortError(url: URL, opts: GetOptions): FetchError {
  if (opts.outer?.aborted)
    return new FetchError("timeout", `${url.href}: fetch cancelled`, { cause: opts.outer.reason });
  return new FetchError("timeout", `${url.href}: not finished within ${opts.totalTimeoutMs} ms`);
}

function networkError(url: URL, err: Error): FetchError {
  if (err instanceof BlockedAddressError)
    return new FetchError("blocked", `${url.href}: ${err.message}`, { cause: err });
  const code = (err as NodeJS.ErrnoException).code ?? "";
  const say = `${url.href}: ${err.message}`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "ENODATA")
    return new FetchError("dns", say, { cause: err });
  if (
    /^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL)/.test(code) ||
    /certificate|SSL|TLS/.test(err.message)
  ) {
    return new FetchError("tls", say, { cause: err });
  }
  if (code === "ETIMEDOUT") return new FetchError("timeout", say, { cause: err });
  return new FetchError("connect", say, { cause: err });
}
