import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

/** A local node:http server playing the publisher; routes are looked up by path. */
export interface Publisher {
  url(path: string): string;
  route(path: string, handler: Route): void;
  /** Requests received, in order, with the headers as sent. */
  requests: { path: string; headers: IncomingMessage["headers"] }[];
  close(): Promise<void>;
}

export async function startPublisher(): Promise<Publisher> {
  const routes = new Map<string, Route>();
  const requests: Publisher["requests"] = [];
  const server: Server = createServer((req, res) => {
    const path = req.url ?? "/";
    requests.push({ path, headers: req.headers });
    const handler = routes.get(path);
    if (handler) return handler(req, res);
    res.writeHead(404, { "content-type": "text/plain" }).end("no such feed");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    route: (path, handler) => void routes.set(path, handler),
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Local desk</title><link>http://127.0.0.1/</link>
<item><title>Two rockets strike near Taji base</title><link>http://127.0.0.1/a/1</link><guid>a-1</guid></item>
</channel></rss>`;
