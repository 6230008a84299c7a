import { afterEach, beforeEach, expect, test } from "vitest";
import { ADMIN_TOKEN, startWeb, type WebHarness } from "./web-harness.ts";

let web: WebHarness;
beforeEach(async () => {
  web = await startWeb({ web: { subscribeLimit: { max: 5, timeWindowMs: 60_000 } } });
});
afterEach(async () => web.close());

const subject = { subscriberId: "desk", alertId: "a123", watchlistId: "iraq-base-attacks" };
const path = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

async function votes() {
  const res = await web.app.inject({
    method: "GET",
    url: "/api/watchlists/iraq-base-attacks/feedback",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(res.statusCode).toBe(200);
  return res.json() as {
    useful: number;
    notRelevant: number;
    votes: { alertId: string; subscriberId: string; vote: string }[];
  };
}

test("following a feedback link shows one button and records nothing; only its POST records the vote, which can be changed", async () => {
  const links = web.ctx.links.feedback(subject);
  const page = await web.app.inject({ method: "GET", url: path(links.notRelevant) });
  expect(page.statusCode).toBe(200);
  expect(page.body.match(/<button/g)).toHaveLength(1);
  expect(page.body).toContain("This alert was not relevant");
  expect((await votes()).votes).toEqual([]);

  const posted = await web.app.inject({ method: "POST", url: path(links.notRelevant) });
  expect(posted.statusCode).toBe(200);
  expect(await votes()).toMatchObject({
    useful: 0,
    notRelevant: 1,
    votes: [{ alertId: "a123", subscriberId: "desk", vote: "not-relevant" }],
  });

  await web.app.inject({ method: "POST", url: path(links.useful) });
  expect(await votes()).toMatchObject({ useful: 1, notRelevant: 0 });
});

test("a forged token, or one moved to another alert or subscriber, gets 403 and records nothing", async () => {
  const real = new URL(web.ctx.links.feedback(subject).useful);
  const other = new URL(web.ctx.links.feedback({ ...subject, alertId: "a999" }).useful);
  const [payload, mac] = (real.searchParams.get("token") ?? "").split(".");
  const [otherPayload] = (other.searchParams.get("token") ?? "").split(".");
  const forged = [
    `${payload}.${"A".repeat(mac?.length ?? 43)}`,
    `${otherPayload}.${mac}`, // another alert's subject under this alert's signature
    `${Buffer.from(JSON.stringify(["intruder", "a123", "iraq-base-attacks"])).toString("base64url")}.${mac}`,
    "garbage",
  ];
  for (const token of forged) {
    for (const method of ["GET", "POST"] as const) {
      const res = await web.app.inject({
        method,
        url: `/feedback?token=${encodeURIComponent(token)}&vote=useful`,
      });
      expect(res.statusCode).toBe(403);
    }
  }
  expect((await votes()).votes).toEqual([]);
});

test("a vote posted from another site's page is refused", async () => {
  const url = path(web.ctx.links.feedback(subject).useful);
  const fromElsewhere = await web.app.inject({
    method: "POST",
    url,
    headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
  });
  expect(fromElsewhere.statusCode).toBe(403);
  const fromOurPage = await web.app.inject({
    method: "POST",
    url,
    headers: { origin: "http://localhost:8787", "sec-fetch-site": "same-origin" },
  });
  expect(fromOurPage.statusCode).toBe(200);
  expect((await votes()).useful).toBe(1);
});

test("feedback pages are rate-limited per client like sign-up", async () => {
  const url = path(web.ctx.links.feedback(subject).useful);
  const codes: number[] = [];
  for (let i = 0; i < 7; i++) codes.push((await web.app.inject({ method: "GET", url })).statusCode);
  expect(codes.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
  expect(codes.slice(5)).toEqual([429, 429]);
});
