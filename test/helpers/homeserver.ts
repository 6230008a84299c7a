import http from "node:http";
import type { AddressInfo } from "node:net";

export interface SendRequest {
  room: string;
  txnId: string;
  authorization: string | undefined;
  content: { msgtype: string; body: string; formatted_body: string; format: string } & Record<
    string,
    unknown
  >;
}

type Answer = { status: number; body?: object; store?: boolean };

/**
 * A small homeserver on loopback: the client-server send endpoint, transaction ids
 * deduplicated per access token as the spec asks (a repeated txnId returns the first event),
 * and scripted answers per room for the failure cases.
 */
export async function startHomeserver() {
  const requests: SendRequest[] = [];
  const events = new Map<string, { eventId: string; room: string; content: object }>();
  const scripts = new Map<string, Answer[]>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const match = /^\/_matrix\/client\/v3\/rooms\/([^/]+)\/send\/m\.room\.message\/([^/]+)$/.exec(
        req.url ?? "",
      );
      const reply = (status: number, body: object) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (req.method !== "PUT" || !match?.[1] || !match[2])
        return reply(400, { errcode: "M_UNRECOGNIZED" });
      const room = decodeURIComponent(match[1]);
      const txnId = decodeURIComponent(match[2]);
      const content = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      requests.push({ room, txnId, authorization: req.headers.authorization, content });
      const key = `${req.headers.authorization}\n${txnId}`;
      const scripted = scripts.get(room)?.shift() ?? { status: 200, store: true };
      const known = events.get(key);
      if (scripted.store && !known)
        events.set(key, { eventId: `$ev${events.size + 1}`, room, content });
      if (scripted.status !== 200) return reply(scripted.status, scripted.body ?? {});
      reply(200, { event_id: (events.get(key) ?? { eventId: "$none" }).eventId });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    /** The events in each room, once each however often their transaction was repeated. */
    eventsIn: (room: string) => [...events.values()].filter((e) => e.room === room),
    script: (room: string, ...answers: Answer[]) => scripts.set(room, answers),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Homeserver = Awaited<ReturnType<typeof startHomeserver>>;
