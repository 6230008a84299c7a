import { afterEach, describe, expect, test } from "vitest";
import { ADMIN_TOKEN, signIn, startWeb, type WebHarness } from "./web-harness.ts";

let web: WebHarness;
afterEach(async () => web.close());

/** Posts the editor form as a browser without JavaScript does. */
async function postEditor(fields: Record<string, string>) {
  const { cookie, csrf } = await signIn(web.app);
  return web.app.inject({
    method: "POST",
    url: "/admin/watchlists",
    payload: new URLSearchParams({ _csrf: csrf, stemming: "on", ...fields }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html", cookie },
  });
}

describe("the watchlist editor without JavaScript", () => {
  test("the New watchlist form refuses an id that is taken, next to the id field; the edit page still saves", async () => {
    web = await startWeb();
    const first = await postEditor({
      id: "mine",
      title: "Mine v1",
      query: "rocket",
      action: "save",
    });
    expect(first.statusCode).toBe(303);

    const clash = await postEditor({
      id: "mine",
      title: "Someone else's",
      query: "weather",
      action: "save",
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.body).toMatch(
      /<p class="field-error" id="id-error">a watchlist with this id exists/,
    );
    const kept = await web.app.inject({
      method: "GET",
      url: "/api/watchlists",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const mine = (
      kept.json() as { watchlists: { id: string; title: string; query: string }[] }
    ).watchlists.find((w) => w.id === "mine");
    expect(mine).toMatchObject({ title: "Mine v1", query: "rocket" });

    // The edit page's form says which watchlist it edits, so saving it replaces that one.
    const { cookie } = await signIn(web.app);
    const editPage = await web.app.inject({
      method: "GET",
      url: "/admin/watchlists/mine/edit",
      headers: { cookie },
    });
    expect(editPage.body).toContain('<input type="hidden" name="editing" value="mine">');
    const edited = await postEditor({
      editing: "mine",
      id: "mine",
      title: "Mine v2",
      query: "rocket OR drone",
      action: "save",
    });
    expect(edited.statusCode).toBe(303);
    const after = await web.app.inject({
      method: "GET",
      url: "/api/watchlists",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(
      (after.json() as { watchlists: { id: string; title: string }[] }).watchlists.find(
        (w) => w.id === "mine",
      ),
    ).toMatchObject({ title: "Mine v2" });
  });
});
