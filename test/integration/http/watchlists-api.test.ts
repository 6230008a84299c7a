import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createHttpServer } from "../../../src/http/server.ts";
import { weekOfNews } from "./recent-fixtures.ts";
import { ADMIN_TOKEN, signIn, startWeb, type WebHarness } from "./web-harness.ts";

let web: WebHarness;
const bearer = { authorization: `Bearer ${ADMIN_TOKEN}` };

beforeEach(async () => {
  web = await startWeb();
  await web.ctx.stores.recent.add(weekOfNews(Date.now()), Date.now());
});
afterEach(async () => web.close());

describe("POST /api/watchlists/preview", () => {
  test("lists what the query would have matched this week, newest first, with highlighted snippets and a count per day", async () => {
    const res = await web.app.inject({
      method: "POST",
      url: "/api/watchlists/preview",
      headers: bearer,
      payload: { query: "(rocket OR drone) AND (base OR airport)" },
    });
    expect(res.statusCode).toBe(200);
    const preview = res.json() as {
      total: number;
      perDay: { day: string; count: number }[];
      items: { title: string; snippet: { text: string; hit: boolean }[] }[];
    };
    expect(preview.total).toBe(3);
    expect(preview.items.map((i) => i.title)).toEqual([
      "Rockets hit Ain al-Asad air base in Iraq",
      "Drone downed near Erbil airport",
      "<script>alert(1)</script> Drone strike on base near Baghdad",
    ]);
    expect(preview.items[0]?.snippet.filter((s) => s.hit).map((s) => s.text.toLowerCase())).toEqual(
      expect.arrayContaining(["rockets", "base"]),
    );
    expect(preview.perDay).toHaveLength(7);
    expect(preview.perDay.map((d) => d.count)).toEqual([0, 0, 0, 1, 0, 1, 1]);
  });

  test("a query that does not parse returns the error with its column and no items", async () => {
    const res = await web.app.inject({
      method: "POST",
      url: "/api/watchlists/preview",
      headers: bearer,
      payload: { query: "(rocket OR drone AND base" },
    });
    const preview = res.json() as { error: { message: string; column: number }; total: number };
    expect(preview.error.message).toMatch(/column/);
    expect(preview.error.column).toBeGreaterThan(1);
    expect(preview.total).toBe(0);
  });

  test("needs the admin token", async () => {
    const res = await web.app.inject({
      method: "POST",
      url: "/api/watchlists/preview",
      payload: { query: "x" },
    });
    expect(res.statusCode).toBe(401);
  });
});

describe("watchlists through the API", () => {
  test("are validated like the config file, saved in Redis and applied to the running rules", async () => {
    const bad = await web.app.inject({
      method: "POST",
      url: "/api/watchlists",
      headers: bearer,
      payload: { id: "erbil", title: "Erbil", query: 'erbil AND "airport' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ fields: { query: expect.stringMatching(/phrase/) } });

    const created = await web.app.inject({
      method: "POST",
      url: "/api/watchlists",
      headers: bearer,
      payload: { id: "erbil", title: "Erbil", query: "erbil AND airport" },
    });
    expect(created.statusCode).toBe(201);
    expect(web.apiWatchlistIds()).toEqual(["erbil"]);

    const changed = await web.app.inject({
      method: "PUT",
      url: "/api/watchlists/erbil",
      headers: bearer,
      payload: { title: "Erbil airport", query: "erbil NEAR/3 airport" },
    });
    expect(changed.statusCode).toBe(200);
    const list = await web.app.inject({ method: "GET", url: "/api/watchlists", headers: bearer });
    const all = (list.json() as { watchlists: { id: string; readOnly: boolean; query: string }[] })
      .watchlists;
    expect(all.map((w) => [w.id, w.readOnly])).toEqual([
      ["iraq-base-attacks", true],
      ["kurdistan-politics", true],
      ["erbil", false],
    ]);
    expect(all[2]?.query).toBe("erbil NEAR/3 airport");
  });

  test("config-file watchlists are read-only", async () => {
    const res = await web.app.inject({
      method: "PUT",
      url: "/api/watchlists/kurdistan-politics",
      headers: bearer,
      payload: { title: "Changed", query: "erbil" },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatch(/config file/);
  });

  test("a subscription may name a watchlist made through the API", async () => {
    await web.app.inject({
      method: "POST",
      url: "/api/watchlists",
      headers: bearer,
      payload: { id: "erbil", title: "Erbil", query: "erbil" },
    });
    const res = await web.app.inject({
      method: "POST",
      url: "/api/subscriptions",
      payload: { email: "desk@example.org", watchlists: ["erbil"] },
    });
    expect(res.statusCode).toBe(202);
    expect((await web.subscriptions.list())[0]?.watchlists).toEqual([
      { id: "erbil", mode: "immediate" },
    ]);
  });

  test("the admin pages' scripts reach the API with the session cookie and CSRF header, never the cookie alone", async () => {
    const { cookie, csrf } = await signIn(web.app);
    const withCsrf = await web.app.inject({
      method: "POST",
      url: "/api/watchlists/check",
      headers: { cookie, "x-csrf-token": csrf },
      payload: { query: "rocket AND (base" },
    });
    expect(withCsrf.statusCode).toBe(200);
    // The missing ")" is reported where it was expected: after the last character.
    expect(withCsrf.json().error.column).toBe("rocket AND (base".length + 1);
    const cookieOnly = await web.app.inject({
      method: "POST",
      url: "/api/watchlists/check",
      headers: { cookie },
      payload: { query: "rocket" },
    });
    expect(cookieOnly.statusCode).toBe(401);
  });
});

test("a restarted server matches with the watchlists saved before the restart", async () => {
  await web.app.inject({
    method: "POST",
    url: "/api/watchlists",
    headers: bearer,
    payload: { id: "erbil", title: "Erbil", query: "erbil" },
  });
  web.ctx.setExtraWatchlists([]); // the rules of a fresh process, before its server starts
  expect(web.apiWatchlistIds()).toEqual([]);
  const restarted = await createHttpServer(web.ctx, { workersRunning: () => true });
  expect(web.apiWatchlistIds()).toEqual(["erbil"]);
  await restarted.close();
});
