import type { FastifyInstance, FastifyRequest } from "fastify";
import { FeedbackStore } from "../../store/feedback.ts";
import { type FeedbackSubject, type Vote, verifyFeedback } from "../../subscriptions/tokens.ts";
import { adminOnly } from "../api.ts";
import { html } from "../html.ts";
import { sendPage } from "../reply.ts";
import type { WebDeps } from "../web-deps.ts";
import type { SubscribeLimit } from "./subscribe.ts";

const VOTES: Record<Vote, { button: string; thanks: string }> = {
  useful: { button: "Yes, this alert was useful", thanks: "marked useful" },
  "not-relevant": { button: "This alert was not relevant", thanks: "marked not relevant" },
};

type FeedbackRequest = FastifyRequest<{ Querystring: { token?: string; vote?: string } }>;

const forbidden = html`<h1>This link is not valid</h1><p>Use the link from the alert itself.</p>`;

/**
 * "Useful" / "Not relevant" links of every alert. A GET shows one button and records nothing,
 * because mail scanners follow links; only that button's POST records the vote, and a later
 * vote replaces it. The signed token in the URL is what authorises the POST (it names one
 * alert, subscriber and watchlist, and cannot be forged or moved); a POST from another site's
 * page is refused too. Both are rate-limited per client like sign-up.
 */
export function registerFeedbackPages(app: FastifyInstance, deps: WebDeps, limit: SubscribeLimit) {
  const store = new FeedbackStore(deps.ctx.redis, deps.ctx.keys);
  const rateLimit = { max: limit.max, timeWindow: limit.timeWindowMs };
  const read = (req: FeedbackRequest): { subject: FeedbackSubject; vote: Vote } | null => {
    const { token, vote } = req.query;
    if (typeof token !== "string" || (vote !== "useful" && vote !== "not-relevant")) return null;
    const subject = verifyFeedback(deps.ctx.links.secret, token);
    return subject ? { subject, vote } : null;
  };

  app.get("/feedback", { config: { rateLimit } }, async (req: FeedbackRequest, reply) => {
    const found = read(req);
    if (!found) return sendPage(reply, 403, "Link not valid", forbidden);
    const action = `/feedback?token=${encodeURIComponent(req.query.token ?? "")}&vote=${found.vote}`;
    return sendPage(
      reply,
      200,
      "Rate this alert",
      html`<h1>Rate this alert</h1>
<p class="lead">Your answer tunes the watchlist for everyone who follows it.</p>
<form method="post" action="${action}">
<button type="submit">${VOTES[found.vote].button}</button>
</form>`,
    );
  });

  app.post("/feedback", { config: { rateLimit } }, async (req: FeedbackRequest, reply) => {
    const found = read(req);
    if (!found || crossSite(req, deps)) return sendPage(reply, 403, "Link not valid", forbidden);
    await store.record(found.subject, found.vote, new Date(deps.now()));
    deps.ctx.log.info({ ...found.subject, vote: found.vote }, "relevance vote recorded");
    return sendPage(
      reply,
      200,
      "Thank you",
      html`<h1>Thank you</h1><p class="lead">The alert is ${VOTES[found.vote].thanks}. Following the link again lets you change your answer.</p>`,
    );
  });

  app.get<{ Params: { id: string } }>(
    "/api/watchlists/:id/feedback",
    { preHandler: adminOnly(deps) },
    async (req) => {
      const votes = await store.list(req.params.id);
      const count = (vote: Vote) => votes.filter((v) => v.vote === vote).length;
      return {
        watchlistId: req.params.id,
        useful: count("useful"),
        notRelevant: count("not-relevant"),
        votes,
      };
    },
  );
}

/**
 * A form posted from another site's page: browsers send its origin (Fetch Metadata and the
 * Origin header), and a vote is only ever cast from our own page.
 */
function crossSite(req: FastifyRequest, deps: WebDeps): boolean {
  if (req.headers["sec-fetch-site"] === "cross-site") return true;
  const origin = req.headers.origin;
  if (!origin || origin === "null") return false;
  return origin !== new URL(deps.ctx.snapshot().config.http.publicUrl).origin;
}
