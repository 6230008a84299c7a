import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, expect, test } from "vitest";
import { createWebhookChannel } from "../../../src/channels/webhook.ts";
import { tajiAlert } from "../../fixtures/alerts.ts";

// A receiver that accepts the delivery, then answers with a body that never ends.
let server: http.Server;
let origin: string;
let bytesSent: number;
beforeEach(async () => {
  bytesSent = 0;
  const chunk = Buffer.alloc(64 * 1024, "x");
  server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "text/plain" });
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) bytesSent += chunk.length;
        if (!res.destroyed) res.once("drain", pump);
      };
      pump();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  server.closeAllConnections();
  server.close();
});

test("a webhook receiver answering 200 with an endless body is cut at the cap, and the delivery counts as sent", async () => {
  const channel = createWebhookChannel({
    allowPrivateNetworks: true,
    userAgent: "newswatch-test",
    timeoutMs: 5000,
  });
  try {
    const receipt = await channel.send(
      { kind: "alert", alert: tajiAlert() },
      { url: `${origin}/in`, format: "json" },
      { signal: AbortSignal.timeout(10_000) },
    );
    expect(receipt.detail).toBe("HTTP 200");
  } finally {
    await channel.close?.();
  }
  // Whatever the socket buffers held, far below what reading to the deadline would pull in.
  expect(bytesSent).toBeLessThan(64 * 1024 * 1024);
});
