import http from "node:http";
import https from "node:https";
import { guardedLookup, refusedUrlReason } from "../net/guarded-lookup.ts";

export interface PostResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The start of the response body, for error messages. */
  bodyStart: string;
}

/** Raised when the URL itself may not be requested (scheme, private address). */
export class RefusedUrlError extends Error {
  readonly code = "EREFUSEDURL";
  constructor(message: string) {
    super(message);
    this.name = "RefusedUrlError";
  }
}

/** Raised when the whole exchange did not finish within the deadline. */
export class PostTimeoutError extends Error {
  readonly code = "ETIMEDOUT";
  constructor(ms: number) {
    super(`no complete response within ${ms} ms`);
    this.name = "PostTimeoutError";
  }
}

const BODY_START_BYTES = 2048;
/** How much of a response body is read (and dropped) so the connection can be reused. */
const DRAIN_MAX_BYTES = 64 * 1024;

export interface Poster {
  post(
    url: string,
    headers: Record<string, string>,
    body: string,
    opts: {
      timeoutMs: number;
      signal: AbortSignal;
      /** @defaultValue "POST"; PUT for APIs that take an idempotent request (Matrix send). */
      method?: "POST" | "PUT";
    },
  ): Promise<PostResult>;
  close(): void;
}

/**
 * POSTs (or PUTs) with keep-alive agents whose connections are checked by the guarded lookup, so a name
 * that resolves to a private address is refused at connect time, not just when it was
 * configured. Redirects are never followed: the 3xx comes back to the caller as a status.
 * The deadline covers connect, upload and the (capped) response body together.
 */
export function createPoster(allowPrivateNetworks: boolean): Poster {
  const lookup = guardedLookup(allowPrivateNetworks);
  const agents = {
    "http:": new http.Agent({ keepAlive: true, maxSockets: 64, lookup } as http.AgentOptions),
    "https:": new https.Agent({ keepAlive: true, maxSockets: 64, lookup } as https.AgentOptions),
  };
  return {
    post(url, headers, body, { timeoutMs, signal, method = "POST" }) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return Promise.reject(new RefusedUrlError(`${url} is not a valid URL`));
      }
      const refused = refusedUrlReason(parsed, allowPrivateNetworks);
      if (refused) return Promise.reject(new RefusedUrlError(refused));
      const transport = parsed.protocol === "https:" ? https : http;
      const agent = agents[parsed.protocol as "http:" | "https:"];

      return new Promise<PostResult>((resolve, reject) => {
        const payload = Buffer.from(body, "utf8");
        const req = transport.request(parsed, {
          method,
          agent,
          lookup,
          headers: { ...headers, "content-length": String(payload.length) },
        });
        const timer = setTimeout(() => req.destroy(new PostTimeoutError(timeoutMs)), timeoutMs);
        const onAbort = () =>
          req.destroy(
            signal.reason instanceof Error ? signal.reason : new Error("delivery aborted"),
          );
        if (signal.aborted) onAbort();
        else signal.addEventListener("abort", onAbort, { once: true });
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener("abort", onAbort);
        };

        req.on("error", (err) => {
          done();
          reject(err);
        });
        req.on("response", (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const settle = () => {
            done();
            const bodyStart = Buffer.concat(chunks).subarray(0, BODY_START_BYTES).toString("utf8");
            resolve({ status: res.statusCode ?? 0, headers: res.headers, bodyStart });
          };
          res.on("data", (chunk: Buffer) => {
            // Keep only the start; the rest is read and dropped so the connection can be reused.
            if (size < BODY_START_BYTES) chunks.push(chunk);
            size += chunk.length;
            // A receiver answering with megabytes (or an endless body) is cut here: its status
            // is the answer, and the connection is dropped rather than read to the deadline.
            if (size > DRAIN_MAX_BYTES) {
              settle();
              res.destroy();
            }
          });
          res.on("end", settle);
          res.on("error", (err) => {
            done();
            reject(err);
          });
        });
        req.end(payload);
      });
    },
    close() {
      agents["http:"].destroy();
      agents["https:"].destroy();
    },
  };
}
