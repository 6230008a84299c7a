import { afterEach, beforeEach, expect, test } from "vitest";
import { startWeb, type WebHarness } from "./web-harness.ts";

// Mail scanners and link previews GET every URL in a message: only the POST may unsubscribe.
let web: WebHarness;
let subscriberId: string;
let url: string;
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
  const link = new URL(web.ctx.links.unsubscribe(subscriberId));
  const { port } = web.app.server.address() as { port: number };
  url = `http://127.0.0.1:${port}${link.pathname}${link.search}`;
});
afterEach(async () => web.close());

const record = () => web.ctx.stores.statuses.get(subscriberId);

test("GET on the List-Unsubscribe URL shows a form and unsubscribes no one, however often", async () => {
  for (let i = 0; i < 3; i++) {
    const res = await fetch(url, { redirect: "manual" });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("<form");
  }
  expect((await record()).status).toBe("active");
});

test("a repeated one-click POST is harmless: the same 200, the first unsubscription kept", async () => {
  const post = () =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
      redirect: "manual",
    });
  expect((await post()).status).toBe(200);
  const first = await record();
  expect(first.status).toBe("unsubscribed");
  const again = await post();
  expect(again.status).toBe(200);
  expect(await record()).toEqual(first);
});
