import http from "node:http";
import { afterEach, beforeEach, expect, test } from "vitest";
import { guardedLookup, type Resolver } from "../../../src/net/guarded-lookup.ts";
import { type LocalServer, startLocalServer } from "../../helpers/local-server.ts";

// DNS rebinding: a name answers a public address when it is checked, then 127.0.0.1 when the
// socket connects. The system resolver cannot be pointed at a test's own DNS server, so the
// name's answers are scripted here, in the order a rebinding server would give them.
let server: LocalServer;
let requests = 0;

beforeEach(async () => {
  requests = 0;
  server = await startLocalServer((_req, res) => {
    requests++;
    res.end("private data");
  });
});
afterEach(() => server.close());

function rebindingName(): Resolver {
  const answers = ["93.184.216.34", "127.0.0.1"];
  return (_hostname, _options, callback) => {
    const address = answers.shift() ?? "127.0.0.1";
    callback(null, [{ address, family: 4 }]);
  };
}

test("a name that answers a public address first and 127.0.0.1 at connect time is refused at connect, and nothing reaches the private server", async () => {
  const lookup = guardedLookup(false, rebindingName());
  const port = new URL(server.origin).port;

  // The first answer passes the check (the name looks public)...
  const first = await new Promise<string>((resolve, reject) =>
    lookup("rebind.example", {}, (err, address) => (err ? reject(err) : resolve(String(address)))),
  );
  expect(first).toBe("93.184.216.34");

  // ...and the connection makes its own lookup, checked again: the rebound answer is refused.
  const outcome = await new Promise<NodeJS.ErrnoException | "connected">((resolve) => {
    const req = http.get(
      `http://rebind.example:${port}/secret`,
      { lookup, agent: false },
      (res) => {
        res.resume();
        resolve("connected");
      },
    );
    req.on("error", (err) => resolve(err));
  });
  expect(outcome).not.toBe("connected");
  expect((outcome as NodeJS.ErrnoException).code).toBe("EBLOCKEDADDRESS");
  expect((outcome as Error).message).toContain("rebind.example resolves to 127.0.0.1");
  expect(requests).toBe(0);
});
