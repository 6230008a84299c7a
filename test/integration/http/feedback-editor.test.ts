import { afterEach, describe, expect, test } from "vitest";
import {
  DRILL_STORIES,
  deliverAlerts,
  type FeedbackWorld,
  feedbackLink,
  USEFUL_STORIES,
} from "./feedback-world.ts";
import { signIn } from "./web-harness.ts";

let world: FeedbackWorld;
afterEach(async () => world?.close());

async function vote(link: string) {
  const page = await world.web.app.inject({ method: "GET", url: link });
  const action = /<form method="post" action="([^"]+)"/.exec(page.body)?.[1] ?? "";
  const field = /name="_form" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
  return world.web.app.inject({
    method: "POST",
    url: action,
    payload: new URLSearchParams({ _form: field }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
}

describe("feedback in the watchlist editor", () => {
  test("the editor shows precision, the not-relevant items and an exclusion that, pressed, goes into the query and the preview", async () => {
    world = await deliverAlerts([...USEFUL_STORIES, ...DRILL_STORIES], { apiWatchlist: true });
    expect(world.apiMails.size).toBe(4);
    for (const s of USEFUL_STORIES) await vote(feedbackLink(world.apiMails.get(s.title), "Useful"));
    for (const s of DRILL_STORIES.slice(0, 1))
      await vote(feedbackLink(world.apiMails.get(s.title), "Not relevant"));
    // One vote on the config watchlist's alert too: votes are kept per watchlist.
    await vote(feedbackLink(world.mails.get(DRILL_STORIES[1]?.title as string), "Not relevant"));
    await vote(feedbackLink(world.apiMails.get(DRILL_STORIES[1]?.title as string), "Not relevant"));

    const { cookie, csrf } = await signIn(world.web.app);
    const edit = await world.web.app.inject({
      method: "GET",
      url: "/admin/watchlists/base-watch/edit",
      headers: { cookie },
    });
    expect(edit.body).toContain(
      '<strong id="feedback-precision">50%</strong>: 2 useful, 2 not relevant',
    );
    for (const s of DRILL_STORIES) expect(edit.body).toContain(s.title);
    expect(edit.body).toMatch(
      /<code dir="auto">-drill<\/code><\/td><td>2<\/td><td>0<\/td><td>2<ul/,
    );
    expect(edit.body).toContain('form="editor" name="exclude" value="drill"');

    const query = /<textarea id="query"[^>]*>([^<]*)<\/textarea>/.exec(edit.body)?.[1] ?? "";
    const pressed = await world.web.app.inject({
      method: "POST",
      url: "/admin/watchlists",
      payload: new URLSearchParams({
        _csrf: csrf,
        editing: "base-watch",
        id: "base-watch",
        title: "Base watch",
        query: query.replaceAll("&quot;", '"').replaceAll("&#39;", "'"),
        stemming: "on",
        exclude: "drill",
      }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    });
    expect(pressed.statusCode).toBe(200);
    expect(pressed.body).toContain("Added -drill to the query");
    expect(pressed.body).toMatch(/<textarea id="query"[^>]*>\(.*\) -drill<\/textarea>/);
    // The preview of the new query leaves the two drill reports out: 2 of the 4 remain.
    expect(pressed.body).toContain('<strong id="preview-total">2</strong>');
    // Nothing is saved until the editor presses Save.
    expect((await world.web.ctx.apiWatchlists.get("base-watch"))?.query).toBe(
      world.web.ctx.snapshot().config.watchlists[0]?.query,
    );

    // The config file's watchlist has its own, read-only feedback page with its own one vote.
    const configPage = await world.web.app.inject({
      method: "GET",
      url: "/admin/watchlists/iraq-base-attacks/feedback",
      headers: { cookie },
    });
    expect(configPage.body).toContain(
      '<strong id="feedback-precision">0%</strong>: 0 useful, 1 not relevant',
    );
    expect(configPage.body).not.toContain('name="exclude"');
  });

  test("feedback pages are rate-limited per client address, like sign-up", async () => {
    world = await deliverAlerts(USEFUL_STORIES.slice(0, 1), {
      web: { feedbackLimit: { max: 3, timeWindowMs: 60_000 } },
    });
    const link = feedbackLink(world.mails.get(USEFUL_STORIES[0]?.title as string), "Useful");
    const codes: number[] = [];
    for (let i = 0; i < 4; i++)
      codes.push((await world.web.app.inject({ method: "GET", url: link })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
  });
});
