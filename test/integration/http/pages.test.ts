import { afterEach, describe, expect, test } from "vitest";
import { CONTENT_SECURITY_POLICY } from "../../../src/http/html.ts";
import { signToken } from "../../../src/subscriptions/tokens.ts";
import { weekOfNews } from "./recent-fixtures.ts";
import { baseYaml, linkIn, signIn, startWeb, type WebHarness } from "./web-harness.ts";

let web: WebHarness;
afterEach(async () => web.close());

const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields))
    for (const value of Array.isArray(v) ? v : [v]) body.append(k, value);
  return {
    payload: body.toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "text/html" },
  };
};

describe("public pages", () => {
  test("the subscribe form labels every field and shows an error next to the field that is wrong", async () => {
    web = await startWeb();
    const page = await web.app.inject({ method: "GET", url: "/subscribe" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
    for (const id of ["email", "schedule", "scheduleCustom", "timezone", "quietFrom", "quietTo"])
      expect(page.body).toContain(`<label for="${id}"`);
    expect(page.body).toContain("Rocket and drone attacks on bases in Iraq");

    const wrong = await web.app.inject({
      method: "POST",
      url: "/subscribe",
      ...form({
        email: "desk@example",
        watchlists: ["iraq-base-attacks"],
        mode: "digest",
        timezone: "Europe/London",
      }),
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toMatch(/aria-describedby="email-error"/);
    expect(wrong.body).toMatch(
      /<p class="field-error" id="email-error">&quot;example&quot; needs a dot/,
    );
    // What the person typed is kept.
    expect(wrong.body).toContain('value="desk@example"');
    expect(wrong.body).toMatch(/<option selected>Europe\/London<\/option>/);
  });

  test("subscribing through the form without JavaScript: check-your-inbox page, then confirm and manage by link", async () => {
    web = await startWeb();
    web.startDeliveryWorkers();
    const posted = await web.app.inject({
      method: "POST",
      url: "/subscribe",
      ...form({
        email: "desk@example.org",
        watchlists: "iraq-base-attacks",
        mode: "immediate",
        schedule: "0 7 * * *",
        timezone: "Asia/Baghdad",
      }),
    });
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe("/subscribe/check-inbox");
    await web.waitForMail(1);
    const text = String(web.smtp.received[0]?.parsed.text);
    await web.app.inject({ method: "POST", url: linkIn(text, "/confirm") });

    const [sub] = await web.subscriptions.list();
    const manage = `/manage?token=${signToken("link-secret-for-tests-0123456789", "manage", sub?.id as string)}`;
    const before = await web.app.inject({ method: "GET", url: manage });
    expect(before.body).toContain("none: alerts are sent as they happen");

    const saved = await web.app.inject({
      method: "POST",
      url: manage,
      ...form({
        action: "save",
        watchlists: ["iraq-base-attacks", "kurdistan-politics"],
        mode: "digest",
        schedule: "0 7 * * *",
        timezone: "Asia/Baghdad",
        quietFrom: "22:00",
        quietTo: "06:00",
      }),
    });
    expect(saved.statusCode).toBe(303);
    const after = await web.app.inject({ method: "GET", url: saved.headers.location as string });
    expect(after.body).toContain("Your changes are saved.");
    expect(after.body).toMatch(/id="next-digest">[^<]*07:00 \(Asia\/Baghdad\)/);
    expect((await web.subscriptions.get(sub?.id as string))?.quietHours).toBe("22:00-06:00");

    const paused = await web.app.inject({
      method: "POST",
      url: manage,
      ...form({ action: "pause" }),
    });
    expect(paused.statusCode).toBe(303);
    expect((await web.ctx.stores.statuses.get(sub?.id as string)).status).toBe("paused");
  });

  test("a forged or altered link is refused and changes nothing", async () => {
    web = await startWeb();
    for (const url of ["/confirm?token=s123.forged", "/manage?token=s123.forged", "/manage"]) {
      const res = await web.app.inject({ method: "GET", url });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain("This link is not valid");
    }
  });
});

describe("admin pages", () => {
  test("sign-in sets an HttpOnly, SameSite=Strict session cookie; a wrong token is refused", async () => {
    web = await startWeb();
    const wrong = await web.app.inject({
      method: "POST",
      url: "/admin/sign-in",
      ...form({ token: "nope" }),
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers["set-cookie"]).toBeUndefined();
    const right = await web.app.inject({
      method: "POST",
      url: "/admin/sign-in",
      ...form({ token: "admin-token-for-tests-0123456789" }),
    });
    expect(right.statusCode).toBe(303);
    const cookie = String(right.headers["set-cookie"]);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/);
    expect((await web.app.inject({ method: "GET", url: "/admin/activity" })).headers.location).toBe(
      "/admin",
    );
  });

  test("the session cookie is Secure when the public URL is https", async () => {
    web = await startWeb({
      yaml: baseYaml().replace(
        'publicUrl: "http://localhost:8787"',
        'publicUrl: "https://alerts.example.org"',
      ),
    });
    const res = await web.app.inject({
      method: "POST",
      url: "/admin/sign-in",
      ...form({ token: "admin-token-for-tests-0123456789" }),
    });
    expect(String(res.headers["set-cookie"])).toMatch(/Secure/);
  });

  test("the editor's preview escapes titles from the internet and a form without its CSRF token is refused", async () => {
    web = await startWeb();
    await web.ctx.stores.recent.add(weekOfNews(Date.now()), Date.now());
    const { cookie, csrf } = await signIn(web.app);
    const fields = {
      id: "strikes",
      title: "Strikes",
      query: "drone AND base",
      stemming: "on",
      action: "preview",
    };
    const forged = await web.app.inject({
      method: "POST",
      url: "/admin/watchlists",
      ...form(fields),
      headers: { ...form(fields).headers, cookie },
    });
    expect(forged.statusCode).toBe(403);

    const res = await web.app.inject({
      method: "POST",
      url: "/admin/watchlists",
      ...form({ ...fields, _csrf: csrf }),
      headers: { ...form(fields).headers, cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("&lt;script&gt;alert(1)&lt;/script&gt; Drone strike on base");
    expect(res.body).toContain(
      "A <mark>drone</mark> hit a <mark>base</mark> outside Baghdad &lt;b&gt;today&lt;/b&gt;.",
    );
    expect(res.body).not.toContain("<script>alert(1)");
    expect(res.body).toMatch(/id="preview-total">1</);
  });

  test("the sources page lists a failing feed first, then a silent one, with the error category", async () => {
    const feeds = `feeds:
  - { id: a-healthy, url: "http://127.0.0.1:9/a.xml" }
  - { id: b-silent, url: "http://127.0.0.1:9/b.xml" }
  - { id: c-failing, url: "http://127.0.0.1:9/c.xml", title: "Ministry <statements>" }
  - { id: d-off, url: "http://127.0.0.1:9/d.xml", enabled: false }`;
    web = await startWeb({ yaml: baseYaml(feeds) });
    const now = Date.now();
    const states = web.ctx.stores.feedStates;
    await states.update("a-healthy", {
      lastSuccessAt: now - 60_000,
      lastNewItemAt: now - 3_600_000,
      nextPollAt: now + 600_000,
    });
    await states.update("b-silent", {
      polls: 50,
      lastSuccessAt: now - 60_000,
      lastNewItemAt: now - 9 * 86_400_000,
      medianIntervalMs: 6 * 3_600_000,
    });
    await states.update("c-failing", {
      lastSuccessAt: now - 86_400_000,
      consecutiveErrors: 4,
      errorCategory: "http",
      lastError: "HTTP 503",
    });
    const { cookie } = await signIn(web.app);
    const page = await web.app.inject({
      method: "GET",
      url: "/admin/sources",
      headers: { cookie },
    });
    const order = [...page.body.matchAll(/data-feed="([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual(["c-failing", "b-silent", "a-healthy", "d-off"]);
    expect(page.body).toContain("Ministry &lt;statements&gt;");
    expect(page.body).toMatch(/badge-failed">http<\/span> HTTP 503/);
    expect(page.body).toContain("<svg");
  });

  test("a failed delivery can be sent again from the activity page", async () => {
    web = await startWeb({ smtp: { rejectRcpt: 550 } });
    web.startDeliveryWorkers();
    await web.app.inject({
      method: "POST",
      url: "/api/subscriptions",
      payload: { email: "gone@example.org", watchlists: ["iraq-base-attacks"] },
    });
    const failedAttempts = async () => web.ctx.stores.deliveries.listAttempts({ failedOnly: true });
    const until = async (n: number) => {
      for (let i = 0; i < 100 && (await failedAttempts()).length < n; i++)
        await new Promise((r) => setTimeout(r, 50));
    };
    await until(1);
    const { cookie, csrf } = await signIn(web.app);
    const page = await web.app.inject({
      method: "GET",
      url: "/admin/activity",
      headers: { cookie },
    });
    expect(page.body).toContain("Confirm your newswatch subscription");
    const action = /action="(\/admin\/deliveries\/[^"]+\/retry)"/.exec(page.body)?.[1];
    expect(action).toBeDefined();
    const retried = await web.app.inject({
      method: "POST",
      url: action as string,
      ...form({ _csrf: csrf }),
      headers: { ...form({}).headers, cookie },
    });
    expect(retried.headers.location).toBe("/admin/activity?retried=1");
    await until(2);
    expect(await failedAttempts()).toHaveLength(2);
  });
});
