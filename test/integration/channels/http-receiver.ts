import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Reply = (req: ReceivedRequest, res: http.ServerResponse) => void;

export interface Receiver {
  /** http://127.0.0.1:<port> */
  origin: string;
  port: number;
  received: ReceivedRequest[];
  /** What the receiver answers next; replies are used in order, the last one repeats. */
  reply(...replies: Reply[]): void;
  close(): Promise<void>;
}

export const status =
  (code: number, headers: Record<string, string> = {}, body = ""): Reply =>
  (_req, res) => {
    res.writeHead(code, headers);
    res.end(body);
  };

/** A real webhook receiver on 127.0.0.1 that records every request it gets. */
export async function startReceiver(): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  let replies: Reply[] = [status(200)];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const request: ReceivedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(request);
      const next = replies.length > 1 ? replies.shift() : replies[0];
      next?.(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    received,
    reply(...next) {
      replies = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The one request the receiver got; fails the test when there is not exactly one. */
export function onlyRequest(receiver: Receiver): ReceivedRequest {
  const [first, ...rest] = receiver.received;
  if (!first || rest.length > 0)
    throw new Error(`expected exactly one request, got ${receiver.received.length}`);
  return first;
}
