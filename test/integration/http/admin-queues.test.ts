import { afterEach, describe, expect, test } from "vitest";
import { ADMIN_TOKEN, signIn, startWeb, type WebHarness } from "./web-harness.ts";

let web: WebHarness;
afterEach(async () => web.close());

const PAUSE = "/admin/queues/api/queues/poll/pause";

describe("/admin/queues (the BullMQ dashboard)", () => {
  test("is sent with a Content-Security-Policy for its own scripts and without the Google Fonts link", async () => {
    web = await startWeb();
    const { cookie, csrf } = await signIn(web.app);
    const res = await web.app.inject({ method: "GET", url: "/admin/queues", headers: { cookie } });
    expect(res.statusCode).toBe(200);
    const csp = String(res.headers["content-security-policy"]);
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self';/);
    expect(csp).not.toMatch(/https:|\*/);
    expect(res.body).toMatch(/<script[^>]+src="static\/js\/main\.[\w.]+\.js"/);
    expect(res.body).not.toMatch(/googleapis|gstatic|https?:\/\//);
    // The page carries the session's CSRF token for the script that sends it with changes.
    expect(res.body).toContain(`<meta name="csrf-token" content="${csrf}">`);
    const script = await web.app.inject({
      method: "GET",
      url: "/admin/queues/newswatch-csrf.js",
      headers: { cookie },
    });
    expect(script.headers["content-type"]).toMatch(/javascript/);
    expect(script.body).toContain("x-csrf-token");
  });

  test("changing jobs with the session cookie alone is refused; the CSRF header or the bearer token is needed", async () => {
    web = await startWeb();
    const { cookie, csrf } = await signIn(web.app);
    const poll = web.ctx.queues.poll;

    const list = await web.app.inject({
      method: "GET",
      url: "/admin/queues/api/queues",
      headers: { cookie },
    });
    expect(list.statusCode).toBe(200);

    const cookieOnly = await web.app.inject({ method: "PUT", url: PAUSE, headers: { cookie } });
    expect(cookieOnly.statusCode).toBe(403);
    const wrongCsrf = await web.app.inject({
      method: "PUT",
      url: PAUSE,
      headers: { cookie, "x-csrf-token": `${csrf}x` },
    });
    expect(wrongCsrf.statusCode).toBe(403);
    expect(await poll.isPaused()).toBe(false);

    const withCsrf = await web.app.inject({
      method: "PUT",
      url: PAUSE,
      headers: { cookie, "x-csrf-token": csrf },
    });
    expect(withCsrf.statusCode).toBe(200);
    expect(await poll.isPaused()).toBe(true);

    const resume = await web.app.inject({
      method: "PUT",
      url: "/admin/queues/api/queues/poll/resume",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(resume.statusCode).toBe(200);
    expect(await poll.isPaused()).toBe(false);

    const nobody = await web.app.inject({ method: "GET", url: "/admin/queues" });
    expect(nobody.statusCode).toBe(401);
  });
});
