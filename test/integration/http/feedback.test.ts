import { afterEach, describe, expect, test } from "vitest";
import { signFeedbackToken, signToken } from "../../../src/subscriptions/tokens.ts";
import {
  DRILL_STORIES,
  deliverAlerts,
  type FeedbackWorld,
  feedbackLink,
  USEFUL_STORIES,
} from "./feedback-world.ts";
import { ADMIN_TOKEN } from "./web-harness.ts";

let world: FeedbackWorld;
afterEach(async () => world?.close());

const api = (path: string, auth = true) =>
  world.web.app.inject({
    method: "GET",
    url: path,
    headers: auth ? { authorization: `Bearer ${ADMIN_TOKEN}` } : {},
  });

interface Report {
  counts: { useful: number; notRelevant: number };
  precision: number | null;
  votes: { alertId: string; subscriberId: string; vote: string; title: string; link: string }[];
  proposedExclusions: { term: string; notRelevant: number; useful: number; removes: number }[];
}
const report = async () =>
  (await api("/api/watchlists/iraq-base-attacks/feedback")).json() as Report;

/** Opens a feedback link as a browser does and presses the page's one button. */
async function vote(link: string) {
  const page = await world.web.app.inject({ method: "GET", url: link });
  expect(page.statusCode).toBe(200);
  const action = /<form method="post" action="([^"]+)"/.exec(page.body)?.[1] ?? "";
  const field = /name="_form" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
  const res = await world.web.app.inject({
    method: "POST",
    url: action,
    payload: new URLSearchParams({ _form: field }).toString(),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "sec-fetch-site": "same-origin",
    },
  });
  expect(res.statusCode).toBe(303);
  return world.web.app.inject({ method: "GET", url: String(res.headers.location) });
}

const tokenOf = (link: string) => new URL(link, "http://x").searchParams.get("token") as string;
const bindingOf = (link: string) =>
  JSON.parse(
    Buffer.from(tokenOf(link).split(".")[0] as string, "base64url").toString(),
  ) as string[];

describe("relevance feedback links", () => {
  test("opening a link records nothing; its button records the vote, and the other link's page switches it", async () => {
    world = await deliverAlerts(USEFUL_STORIES.slice(0, 1));
    const mail = world.mails.get(USEFUL_STORIES[0]?.title as string);
    expect(mail?.html).toContain(">Useful</a>");
    expect(mail?.html).toContain(">Not relevant</a>");
    const useful = feedbackLink(mail, "Useful");

    // A mail scanner following both links, twice, changes nothing.
    for (const link of [useful, feedbackLink(mail, "Not relevant"), useful]) {
      const page = await world.web.app.inject({ method: "GET", url: link });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<dd id="current-vote">none yet</dd>');
    }
    expect((await report()).votes).toEqual([]);

    const after = await vote(useful);
    expect(after.body).toContain("Thank you: recorded as <strong>Useful</strong>");
    expect(after.body).toContain("Mark as not relevant");
    let r = await report();
    expect(r.counts).toEqual({ useful: 1, notRelevant: 0 });
    expect(r.precision).toBe(1);
    expect(r.votes[0]).toMatchObject({
      subscriberId: "desk",
      vote: "useful",
      title: USEFUL_STORIES[0]?.title,
    });
    expect(r.votes[0]?.link).toMatch(/\/news\/fb-1$/);

    // The page of the vote already cast offers the other one: the vote can be changed.
    const again = await world.web.app.inject({ method: "GET", url: useful });
    expect(again.body).toContain('<dd id="current-vote">Useful</dd>');
    await vote(useful);
    r = await report();
    expect(r.counts).toEqual({ useful: 0, notRelevant: 1 });
    expect(r.votes).toHaveLength(1);
    // And back, through the email's own "Not relevant" link, whose page now offers "useful".
    const notRelevantPage = await world.web.app.inject({
      method: "GET",
      url: feedbackLink(mail, "Not relevant"),
    });
    expect(notRelevantPage.body).toContain("Mark as useful");
    await vote(feedbackLink(mail, "Not relevant"));
    expect((await report()).counts).toEqual({ useful: 1, notRelevant: 0 });
  });

  test("a forged token, or one re-signed by another server or edited to name another alert or subscriber, gets 403 and records nothing", async () => {
    world = await deliverAlerts(USEFUL_STORIES);
    const first = feedbackLink(world.mails.get(USEFUL_STORIES[0]?.title as string), "Useful");
    const second = feedbackLink(world.mails.get(USEFUL_STORIES[1]?.title as string), "Useful");
    const [alertA, watchlist, subscriber, voteA] = bindingOf(first) as [
      string,
      string,
      string,
      string,
    ];
    const [alertB] = bindingOf(second) as [string];
    const mac = tokenOf(first).split(".")[1];
    const payload = (parts: string[]) => Buffer.from(JSON.stringify(parts)).toString("base64url");
    const secret = world.web.ctx.links.secret;
    const bad = [
      // the first alert's signature on the second alert's id
      `${payload([alertB, watchlist, subscriber, voteA])}.${mac}`,
      // the first alert's signature, pointed at the other subscriber
      `${payload([alertA, watchlist, "night", voteA])}.${mac}`,
      // signed with another secret
      signFeedbackToken("some-other-secret-0123456789", {
        alertId: alertA,
        watchlistId: watchlist,
        subscriberId: subscriber,
        vote: "not-relevant",
      }),
      // genuinely signed, but naming a subscriber the alert was not sent to
      signFeedbackToken(secret, {
        alertId: alertA,
        watchlistId: watchlist,
        subscriberId: "night",
        vote: "useful",
      }),
      // the same subscriber's genuine manage-link token
      signToken(secret, "manage", subscriber),
      "garbage",
    ];
    for (const token of bad) {
      const url = `/feedback?token=${encodeURIComponent(token)}`;
      const page = await world.web.app.inject({ method: "GET", url });
      expect(page.statusCode, token).toBe(403);
      const post = await world.web.app.inject({
        method: "POST",
        url,
        payload: "_form=x",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      expect(post.statusCode, token).toBe(403);
    }
    // A genuine link posted without the page's hidden field, or from another site's form.
    const page = await world.web.app.inject({ method: "GET", url: first });
    const field = /name="_form" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
    const noField = await world.web.app.inject({ method: "POST", url: first });
    expect(noField.statusCode).toBe(403);
    const crossSite = await world.web.app.inject({
      method: "POST",
      url: first,
      payload: new URLSearchParams({ _form: field }).toString(),
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "sec-fetch-site": "cross-site",
      },
    });
    expect(crossSite.statusCode).toBe(403);
    // Another alert's page field does not work for this link either.
    const otherPage = await world.web.app.inject({ method: "GET", url: second });
    const otherField = /name="_form" value="([^"]+)"/.exec(otherPage.body)?.[1] ?? "";
    const swapped = await world.web.app.inject({
      method: "POST",
      url: first,
      payload: new URLSearchParams({ _form: otherField }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(swapped.statusCode).toBe(403);
    expect((await report()).votes).toEqual([]);
  });

  test("the feedback API needs the admin token, knows its watchlists, and proposes the words of the not-relevant items with what each removes", async () => {
    world = await deliverAlerts([...USEFUL_STORIES, ...DRILL_STORIES]);
    expect((await api("/api/watchlists/iraq-base-attacks/feedback", false)).statusCode).toBe(401);
    expect((await api("/api/watchlists/nope/feedback")).statusCode).toBe(404);
    for (const s of USEFUL_STORIES) await vote(feedbackLink(world.mails.get(s.title), "Useful"));
    for (const s of DRILL_STORIES)
      await vote(feedbackLink(world.mails.get(s.title), "Not relevant"));
    const r = await report();
    expect(r.counts).toEqual({ useful: 2, notRelevant: 2 });
    expect(r.precision).toBe(0.5);
    expect(r.votes.map((v) => v.title).sort()).toEqual(
      [...USEFUL_STORIES, ...DRILL_STORIES].map((s) => s.title).sort(),
    );
    const terms = r.proposedExclusions.map((p) => p.term);
    expect(terms.slice(0, 2).sort()).toEqual(["drill", "exercise"]);
    // Both drill reports are among the stored recent items the watchlist matches.
    expect(r.proposedExclusions.find((p) => p.term === "drill")).toMatchObject({
      notRelevant: 2,
      useful: 0,
      removes: 2,
    });
    // Words the query itself needs are never proposed.
    expect(terms).not.toContain("rocket");
    expect(terms).not.toContain("base");
  });
});
