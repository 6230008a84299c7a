import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FeedServer {
  origin: string;
  /** Sets what a path serves (status 200 with ETag support), or an error status. */
  serve(path: string, body: string, contentType?: string): void;
  fail(path: string, status: number, body?: string): void;
  /** Requests per path, with the conditional headers they carried. */
  requests: { path: string; ifNoneMatch?: string }[];
  close(): Promise<void>;
}

/** A local publisher: serves feeds by path, answers 304 to a matching If-None-Match. */
export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, { status: number; body: string; contentType: string }>();
  const requests: FeedServer["requests"] = [];
  const server = http.createServer((req, res) => {
    const path = req.url ?? "/";
    const ifNoneMatch = req.headers["if-none-match"];
    requests.push({ path, ...(ifNoneMatch ? { ifNoneMatch } : {}) });
    const route = routes.get(path);
    if (!route) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    if (route.status !== 200) {
      res.writeHead(route.status, { "content-type": route.contentType }).end(route.body);
      return;
    }
    const etag = `"${createHash("sha1").update(route.body).digest("hex").slice(0, 16)}"`;
    if (ifNoneMatch === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { "content-type": route.contentType, etag }).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    serve: (path, body, contentType = "application/rss+xml; charset=utf-8") =>
      routes.set(path, { status: 200, body, contentType }),
    fail: (path, status, body = "") =>
      routes.set(path, { status, body, contentType: "text/plain" }),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
