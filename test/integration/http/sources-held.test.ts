import { afterEach, expect, test } from "vitest";
import { baseYaml, signIn, startWeb, type WebHarness } from "./web-harness.ts";

let web: WebHarness | undefined;
afterEach(async () => {
  await web?.close();
  web = undefined;
});

test("the sources page shows a feed held by its publisher's Retry-After as held, not failing", async () => {
  web = await startWeb({
    yaml: baseYaml(`feeds:
  - { id: busy, url: "http://127.0.0.1:9/busy.xml" }
  - { id: calm, url: "http://127.0.0.1:9/calm.xml" }`),
  });
  const now = Date.now();
  await web.ctx.stores.feedStates.update("busy", {
    lastSuccessAt: now - 3_600_000,
    consecutiveHolds: 2,
    retryAfterUntil: now + 3_600_000,
    errorCategory: "http",
    lastError: "HTTP 429 Too Many Requests",
  });
  await web.ctx.stores.feedStates.update("calm", { lastSuccessAt: now - 60_000 });
  const { cookie } = await signIn(web.app);
  const page = await web.app.inject({ method: "GET", url: "/admin/sources", headers: { cookie } });
  expect(page.body).toContain('<span class="badge badge-held">held</span>');
  expect(page.body).toContain(
    "0 failing, 0 silent, 1 held by their publisher&#39;s Retry-After, 1 ok",
  );
});
