import { afterEach, describe, expect, test } from "vitest";
import { ADMIN_TOKEN, signIn, startWeb, type WebHarness } from "./web-harness.ts";

const TAJI = `Two Katyusha rockets hit Taji military base north of Baghdad
BAGHDAD (Reuters) - Two Katyusha rockets struck Taji military base, north of Baghdad, on Tuesday, the Iraqi military said. A third rocket landed near the Green Zone in central Baghdad, where the U.S. embassy is located. Rocket attacks on bases hosting U.S. troops in Iraq have been frequent.`;

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

describe("suggesting a query from an article", () => {
  test("the API answers the query with the reason for each part, as newswatch suggest prints them", async () => {
    web = await startWeb();
    const res = await web.app.inject({
      method: "POST",
      url: "/api/watchlists/suggest",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { text: TAJI },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { query: string; reasons: string[] };
    // Built on the concept lists since issue 11, as newswatch suggest is.
    expect(body.query).toMatch(/^\(@indirect_fire OR @drones\) AND \(@iraq_sites OR /);
    expect(body.reasons).toContain("what happened (any of):");
    expect(body.reasons.some((r) => r.startsWith('  @iraq_sites: "taji"'))).toBe(true);

    const nothing = await web.app.inject({
      method: "POST",
      url: "/api/watchlists/suggest",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { text: "the and of" },
    });
    expect(nothing.statusCode).toBe(422);
    expect(nothing.json()).toMatchObject({ error: expect.stringMatching(/no usable words/) });
  });

  test("the editor's Suggest button without JavaScript fills in the query and lists the reasons under it", async () => {
    web = await startWeb();
    const res = await postEditor({
      id: "",
      title: "",
      query: "",
      article: TAJI,
      action: "suggest",
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<textarea id="query"[^>]*>\(@indirect_fire OR @drones\) AND /);
    const reasons = /<div id="suggest-reasons">([\s\S]*?)<\/div>/.exec(res.body)?.[1] ?? "";
    expect(reasons).toContain(
      "<li>what happened (any of):<ul><li>@indirect_fire: &quot;katyusha&quot;",
    );
    expect(reasons).toMatch(/<li>what was hit \(any of\):<ul><li>@iraq_sites: &quot;taji&quot;/);
  });
});

describe("query errors and notes without JavaScript", () => {
  test("an error on the second line of the query is shown under that line, with its line and column", async () => {
    web = await startWeb();
    // Browsers send a textarea's line breaks as CRLF.
    const res = await postEditor({
      id: "x",
      title: "X",
      query: "rocket OR\r\ndrone AND ) base",
      action: "preview",
    });
    expect(res.body).toContain("found &#39;)&#39; at column 22 (line 2, column 11)</p>");
    expect(res.body).toContain(
      `<pre class="caret" aria-hidden="true">drone AND ) base\n${" ".repeat(10)}^</pre>`,
    );
  });

  test("OR mixed with implicit AND is noted with how it is read, on Preview and on the page after Save", async () => {
    web = await startWeb();
    const note =
      "Note: mixes OR with implicit AND without parentheses; read as: rocket OR (katyusha base)";
    const fields = { id: "mixed", title: "Mixed", query: "rocket OR katyusha base" };
    const preview = await postEditor({ ...fields, action: "preview" });
    expect(preview.body).toContain(`<p class="hint">${note}</p>`);

    const saved = await postEditor({ ...fields, action: "save" });
    expect(saved.statusCode).toBe(303);
    const { cookie } = await signIn(web.app);
    const page = await web.app.inject({
      method: "GET",
      url: String(saved.headers.location),
      headers: { cookie },
    });
    expect(page.body).toContain("Saved.");
    expect(page.body).toContain(`<p class="hint">${note}</p>`);
  });
});
