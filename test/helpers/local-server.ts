import http from "node:http";
import type { AddressInfo } from "node:net";

export interface LocalServer {
  origin: string;
  close(): Promise<void>;
}

/** A publisher on loopback that answers with `handler`, for tests that script each answer. */
export async function startLocalServer(handler: http.RequestListener): Promise<LocalServer> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
