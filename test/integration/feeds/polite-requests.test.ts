import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, expect, test } from "vitest";
import { refreshFeed } from "../../../src/pipeline/refresh-feed.ts";
import { VERSION } from "../../../src/runtime/version.ts";
import { useTestContexts } from "../../helpers/context.ts";
import { startReceiver } from "../channels/http-receiver.ts";

const RSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Council meets</title><link>http://wire.example/1</link><guid>w1</guid></item>
</channel></rss>`;

let server: http.Server;
let origin: string;
let requests: http.IncomingHttpHeaders[];
const contexts = useTestContexts("polite");

beforeEach(async () => {
  requests = [];
  server = http.createServer((req, res) => {
    requests.push(req.headers);
    res
      .writeHead(200, {
        "content-type": "application/rss+xml",
        "set-cookie": ["session=abc123; Path=/", "tracker=xyz; Path=/; Max-Age=3600"],
      })
      .end(RSS);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  server.closeAllConnections();
  server.close();
});

const config = (extra: string) => `
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s }
${extra}
feeds:
  - { id: wire, url: "${origin}/wire.xml" }
`;

test("the User-Agent names newswatch, its version and http.contact; cookies set by a publisher are never sent back", async () => {
  const ctx = await contexts.open(config(`http: { contact: "https://ops.example.org/newswatch" }`));
  for (let i = 0; i < 3; i++) await refreshFeed("wire", ctx.refreshDeps());
  expect(requests).toHaveLength(3);
  for (const headers of requests) {
    expect(headers["user-agent"]).toBe(
      `newswatch/${VERSION} (+https://ops.example.org/newswatch; self-hosted feed alert monitor)`,
    );
    expect(headers.cookie).toBeUndefined();
  }
});

test("without http.contact the first admin address is the contact, for webhooks too", async () => {
  const ctx = await contexts.open(config(`admin: { email: [ops@example.org] }`));
  await refreshFeed("wire", ctx.refreshDeps());
  expect(requests[0]?.["user-agent"]).toContain("(+ops@example.org; ");

  const hook = await startReceiver();
  try {
    const channels = ctx.createChannels();
    await channels
      .get("webhook")
      .send(
        { kind: "notice", notice: { id: "n1", subject: "hello", text: "hello" } },
        { url: `${hook.origin}/in`, format: "json" } as never,
        { signal: AbortSignal.timeout(5000) },
      );
    await channels.closeAll();
    expect(hook.received[0]?.headers["user-agent"]).toContain("(+ops@example.org; ");
  } finally {
    await hook.close();
  }
});
