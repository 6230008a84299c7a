import { spawn } from "node:child_process";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { SMTPServer } from "smtp-server";

/** A port nothing listens on right now (the kernel's pick, released at once). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface HookSink {
  url: string;
  /** webhook-id of every request that arrived, in order (a repeat is a redelivery). */
  received: string[];
  /** webhook-ids answered 2xx with the whole response written: what an idempotent receiver processed. */
  accepted: string[];
  /** Requests received but not yet answered. */
  inFlight: Set<string>;
  /** 0 answers 200; any other status is answered to every request until set back. */
  failWith: number;
  delayMs: number;
  close(): Promise<void>;
}

/** A webhook receiver that can be slow or failing, and records ids the way a receiver dedupes. */
export async function startHookSink(opts: { delayMs?: number } = {}): Promise<HookSink> {
  const sink: Omit<HookSink, "url" | "close"> = {
    received: [],
    accepted: [],
    inFlight: new Set(),
    failWith: 0,
    delayMs: opts.delayMs ?? 0,
  };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const id = String(req.headers["webhook-id"] ?? "");
      sink.received.push(id);
      sink.inFlight.add(id);
      const answer = () => {
        sink.inFlight.delete(id);
        if (res.destroyed) return;
        const status = sink.failWith || 200;
        res.writeHead(status).end(status === 200 ? "ok" : "failing", () => {
          if (status === 200) sink.accepted.push(id);
        });
      };
      if (sink.delayMs > 0) setTimeout(answer, sink.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(sink, {
    url: `http://127.0.0.1:${port}/hook`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

export interface MailSink {
  url: string;
  /** Message-ID of every message whose DATA was received (a repeat is a resend). */
  messageIds: string[];
  /** Messages received but not yet answered "250 OK". */
  inFlight: Set<string>;
  /** Stops listening (connections are refused), keeping what was received. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

/** An SMTP server on a fixed local port that can be taken down and brought back. */
export async function startMailSink(opts: { delayMs?: number } = {}): Promise<MailSink> {
  const port = await freePort();
  const messageIds: string[] = [];
  const inFlight = new Set<string>();
  let server: SMTPServer | null = null;
  const up = async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData(stream, _session, callback) {
        let head = "";
        stream.on("data", (c: Buffer) => {
          if (head.length < 64 * 1024) head += c.toString("latin1");
        });
        stream.on("end", () => {
          const id = /^Message-ID:\s*(\S+)/im.exec(head)?.[1] ?? "";
          messageIds.push(id);
          inFlight.add(id);
          setTimeout(() => {
            inFlight.delete(id);
            callback();
          }, opts.delayMs ?? 0);
        });
      },
    });
    const s = server;
    // A worker SIGKILLed mid-session resets its connection: expected here, not a test failure.
    s.on("error", () => {});
    await new Promise<void>((resolve) => s.listen(port, "127.0.0.1", resolve));
  };
  const down = async () => {
    const s = server;
    server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await up();
  return { url: `smtp://127.0.0.1:${port}`, messageIds, inFlight, up, down, close: down };
}

export interface PrivateRedis {
  url: string;
  /** SIGKILLs the server: a crash, not a clean shutdown. */
  crash(): Promise<void>;
  /** Starts it again on the same port and data directory (AOF replays what was queued). */
  start(): Promise<void>;
  /** SIGSTOPs the server: connections are still accepted by the kernel, nothing is answered. */
  freeze(): void;
}

/**
 * A redis-server of the test's own, on a free port with AOF on (fsync always), so it can be
 * killed and restarted without touching the shared Redis other tests use.
 */
export async function startPrivateRedis(dir: string): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ReturnType<typeof spawn> | null = null;
  const start = async () => {
    child = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        dir,
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
        "--save",
        "",
        "--maxmemory-policy",
        "noeviction",
      ],
      { stdio: "ignore" },
    );
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
      probe.on("error", () => {});
      try {
        await probe.connect();
        if ((await probe.ping()) === "PONG") {
          // A replayed AOF answers LOADING until done; wait for a real reply.
          await probe.dbsize();
          return;
        }
      } catch {
        // not up yet
      } finally {
        probe.disconnect();
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`private redis-server on ${port} did not start`);
  };
  const crash = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once("exit", () => resolve());
      c.kill("SIGKILL");
    });
  };
  const freeze = () => {
    (child as ReturnType<typeof spawn> | null)?.kill("SIGSTOP");
  };
  await start();
  return { url, start, crash, freeze };
}
