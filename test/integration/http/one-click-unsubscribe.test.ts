import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, expect, test } from "vitest";
import { startWeb, type WebHarness } from "./web-harness.ts";

let web: WebHarness;
let subscriberId: string;
beforeEach(async () => {
  web = await startWeb({ listen: true });
  const sub = await web.subscriptions.create({
    email: "analyst@example.org",
    watchlists: [{ id: "iraq-base-attacks", mode: "immediate" }],
    mode: "immediate",
    schedule: "0 7 * * *",
    timezone: "UTC",
  });
  subscriberId = sub.id;
  await web.ctx.stores.statuses.set(subscriberId, "active", "confirmed");
});
afterEach(async () => web.close());

/** POSTs through a real socket, the way a mail provider's one-click request arrives. */
async function post(
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; location?: string }> {
  const url = new URL(web.ctx.links.unsubscribe(subscriberId));
  const { port } = web.app.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: `${url.pathname}${url.search}`,
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
      },
      (res) => {
        res.resume();
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, location: res.headers.location }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const status = async () => (await web.ctx.stores.statuses.get(subscriberId)).status;

test("RFC 8058's own multipart/form-data one-click POST unsubscribes with a 200 and no redirect", async () => {
  const boundary = "---FormBoundaryjWmhtjORrn";
  const res = await post(
    { "content-type": `multipart/form-data; boundary=${boundary}` },
    `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
  );
  expect(res).toEqual({ status: 200, location: undefined });
  expect(await status()).toBe("unsubscribed");
});

test("a one-click POST with any other body type, or a malformed JSON body, unsubscribes too", async () => {
  expect((await post({ "content-type": "application/octet-stream" }, "One-Click")).status).toBe(
    200,
  );
  expect(await status()).toBe("unsubscribed");
  await web.ctx.stores.statuses.set(subscriberId, "active", "signed up again");
  expect(
    (await post({ "content-type": "application/json" }, "List-Unsubscribe=One-Click")).status,
  ).toBe(200);
  expect(await status()).toBe("unsubscribed");
});

test("a forged token is still refused whatever the body, and other routes keep their parsers", async () => {
  const url = new URL(web.ctx.links.unsubscribe(subscriberId));
  const forged = await web.app.inject({
    method: "POST",
    url: `${url.pathname}?token=${subscriberId}.AAAA`,
    headers: { "content-type": "multipart/form-data; boundary=x" },
    payload: "--x--\r\n",
  });
  expect(forged.statusCode).toBe(400);
  expect(await status()).toBe("active");
  const elsewhere = await web.app.inject({
    method: "POST",
    url: "/api/subscriptions",
    headers: { "content-type": "multipart/form-data; boundary=x" },
    payload: "--x--\r\n",
  });
  expect(elsewhere.statusCode).toBe(415);
});
