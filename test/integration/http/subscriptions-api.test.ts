import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { ADMIN_TOKEN, linkIn, startWeb, type WebHarness } from "./web-harness.ts";

let web: WebHarness;
const bearer = { authorization: `Bearer ${ADMIN_TOKEN}` };
const signup = {
  email: "analyst@example.org",
  watchlists: ["iraq-base-attacks"],
  mode: "digest",
  schedule: "0 7 * * *",
  timezone: "Asia/Baghdad",
};

beforeEach(async () => {
  web = await startWeb();
  web.startDeliveryWorkers();
});
afterEach(async () => web.close());

describe("POST /api/subscriptions", () => {
  test("a sign-up gets one confirmation email and stays unconfirmed until the link's button is pressed", async () => {
    const res = await web.app.inject({
      method: "POST",
      url: "/api/subscriptions",
      payload: signup,
    });
    expect(res.statusCode).toBe(202);
    await web.waitForMail(1);
    const mail = web.smtp.received[0];
    expect(mail?.rcptTo).toEqual(["analyst@example.org"]);
    expect(mail?.parsed.subject).toBe("Confirm your newswatch subscription");

    const [sub] = await web.subscriptions.list();
    expect(sub).toMatchObject({ email: "analyst@example.org", mode: "digest", source: "api" });
    expect((await web.ctx.stores.statuses.get(sub?.id as string)).status).toBe("unconfirmed");

    const confirm = linkIn(String(mail?.parsed.text), "/confirm");
    const shown = await web.app.inject({ method: "GET", url: confirm });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain("Confirm subscription");
    expect((await web.ctx.stores.statuses.get(sub?.id as string)).status).toBe("unconfirmed");

    const pressed = await web.app.inject({ method: "POST", url: confirm });
    expect(pressed.statusCode).toBe(200);
    expect(pressed.body).toContain("You are subscribed");
    expect((await web.ctx.stores.statuses.get(sub?.id as string)).status).toBe("active");
  });

  test("signing up a known address answers exactly as for a new one and makes no second subscription", async () => {
    const first = await web.app.inject({
      method: "POST",
      url: "/api/subscriptions",
      payload: signup,
    });
    const again = await web.app.inject({
      method: "POST",
      url: "/api/subscriptions",
      payload: { ...signup, mode: "immediate" },
    });
    expect(again.statusCode).toBe(first.statusCode);
    expect(again.body).toBe(first.body);
    const subs = await web.subscriptions.list();
    expect(subs).toHaveLength(1);
    expect(subs[0]?.mode).toBe("immediate");
  });

  test("an active address signing up again is sent its manage link, and its choices stay as they were", async () => {
    await web.app.inject({ method: "POST", url: "/api/subscriptions", payload: signup });
    await web.waitForMail(1);
    await web.app.inject({
      method: "POST",
      url: linkIn(String(web.smtp.received[0]?.parsed.text), "/confirm"),
    });
    const again = await web.app.inject({
      method: "POST",
      url: "/api/subscriptions",
      payload: { ...signup, mode: "immediate", watchlists: ["kurdistan-politics"] },
    });
    expect(again.statusCode).toBe(202);
    await web.waitForMail(2);
    const note = web.smtp.received[1];
    expect(note?.parsed.subject).toBe("You are already subscribed to newswatch");
    expect(linkIn(String(note?.parsed.text), "/manage")).toMatch(/^\/manage\?token=/);
    const [sub] = await web.subscriptions.list();
    expect(sub).toMatchObject({
      mode: "digest",
      watchlists: [{ id: "iraq-base-attacks", mode: "digest" }],
    });
    expect((await web.ctx.stores.statuses.get(sub?.id as string)).status).toBe("active");
  });

  test("the confirmation email's List-Unsubscribe URL unsubscribes with one POST and no redirect (RFC 8058)", async () => {
    await web.app.inject({ method: "POST", url: "/api/subscriptions", payload: signup });
    await web.waitForMail(1);
    const raw = String(web.smtp.received[0]?.raw).replace(/\r?\n(?=[ \t])/g, "");
    const header = /^List-Unsubscribe: <([^>]+)>/m.exec(raw)?.[1];
    expect(header).toBeDefined();
    const url = new URL(header as string);
    const res = await web.app.inject({
      method: "POST",
      url: `${url.pathname}${url.search}`,
      payload: "List-Unsubscribe=One-Click",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers.location).toBeUndefined();
    const [sub] = await web.subscriptions.list();
    expect((await web.ctx.stores.statuses.get(sub?.id as string)).status).toBe("unsubscribed");
  });

  test("each invalid field is named with the reason, and nothing is stored or sent", async () => {
    const res = await web.app.inject({
      method: "POST",
      url: "/api/subscriptions",
      payload: {
        email: "Boss <boss@example.org>, other@example.org",
        watchlists: ["no-such-list"],
        schedule: "every morning",
        timezone: "Mars/Olympus",
      },
    });
    expect(res.statusCode).toBe(400);
    const { fields } = res.json() as { fields: Record<string, string> };
    expect(fields.timezone).toMatch(/IANA timezone/);

    const second = await web.app.inject({
      method: "POST",
      url: "/api/subscriptions",
      payload: {
        email: "a@b.example\r\nBcc: x@evil.example",
        watchlists: ["no-such-list"],
        schedule: "every morning",
      },
    });
    const more = (second.json() as { fields: Record<string, string> }).fields;
    expect(more.email).toMatch(/line break/);
    expect(more.watchlists).toMatch(/unknown watchlist: no-such-list/);
    expect(more.schedule).toMatch(/not a cron schedule/);
    expect(await web.subscriptions.list()).toHaveLength(0);
    expect(web.smtp.received).toHaveLength(0);
  });
});

describe("admin subscription endpoints", () => {
  test("refuse a request without the admin token, and a wrong one", async () => {
    expect((await web.app.inject({ method: "GET", url: "/api/subscriptions" })).statusCode).toBe(
      401,
    );
    const wrong = await web.app.inject({
      method: "GET",
      url: "/api/subscriptions",
      headers: { authorization: "Bearer not-the-token-at-all-000000" },
    });
    expect(wrong.statusCode).toBe(401);
  });

  test("list, change and delete a subscription; a change is validated like a new one", async () => {
    await web.app.inject({ method: "POST", url: "/api/subscriptions", payload: signup });
    const list = await web.app.inject({
      method: "GET",
      url: "/api/subscriptions",
      headers: bearer,
    });
    const [sub] = (list.json() as { subscriptions: { id: string; status: string }[] })
      .subscriptions;
    expect(sub?.status).toBe("unconfirmed");
    const id = sub?.id as string;

    const bad = await web.app.inject({
      method: "PATCH",
      url: `/api/subscriptions/${id}`,
      headers: bearer,
      payload: { quietHours: "10pm-6am" },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields.quietHours).toMatch(/22:00-06:00/);

    const changed = await web.app.inject({
      method: "PATCH",
      url: `/api/subscriptions/${id}`,
      headers: bearer,
      payload: {
        quietHours: "22:00-06:00",
        watchlists: ["kurdistan-politics", { id: "iraq-base-attacks", mode: "immediate" }],
      },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      email: "analyst@example.org",
      quietHours: "22:00-06:00",
      watchlists: [
        { id: "kurdistan-politics", mode: "digest" },
        { id: "iraq-base-attacks", mode: "immediate" },
      ],
    });

    const gone = await web.app.inject({
      method: "DELETE",
      url: `/api/subscriptions/${id}`,
      headers: bearer,
    });
    expect(gone.statusCode).toBe(204);
    const after = await web.app.inject({
      method: "GET",
      url: `/api/subscriptions/${id}`,
      headers: bearer,
    });
    expect(after.statusCode).toBe(404);
  });
});

test("sign-ups from one client are limited; the limit answers 429", async () => {
  await web.close();
  web = await startWeb({ web: { subscribeLimit: { max: 2, timeWindowMs: 60_000 } } });
  const codes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await web.app.inject({
      method: "POST",
      url: "/api/subscriptions",
      payload: { ...signup, email: `person${i}@example.org` },
    });
    codes.push(res.statusCode);
  }
  expect(codes).toEqual([202, 202, 429]);
});
