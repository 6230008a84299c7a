import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { FeedbackSubject, FeedbackVote } from "../../store/feedback.ts";
import {
  type FeedbackBinding,
  feedbackFormToken,
  feedbackFormValid,
  signFeedbackToken,
  type Vote,
  verifyFeedbackToken,
} from "../../subscriptions/tokens.ts";
import { html } from "../html.ts";
import { seeOther, sendPage } from "../reply.ts";
import { knownWatchlists, type WebDeps } from "../web-deps.ts";
import type { SubscribeLimit } from "./subscribe.ts";

const LABEL: Record<Vote, string> = { useful: "Useful", "not-relevant": "Not relevant" };
const BUTTON: Record<Vote, string> = {
  useful: "Mark as useful",
  "not-relevant": "Mark as not relevant",
};
const other = (vote: Vote): Vote => (vote === "useful" ? "not-relevant" : "useful");

const forbidden = html`<h1>This feedback link is not valid</h1><p>It may be incomplete or changed. Use the link from the newswatch message itself.</p>`;
const gone = html`<h1>This alert is no longer kept</h1><p>Feedback can be given for about a month after an alert was sent.</p>`;

type Query = { Querystring: { token?: string; recorded?: string }; Body: Record<string, unknown> };

/**
 * "Useful" / "Not relevant" links in alerts. A GET only shows one button, because mail
 * scanners open every link in a message; only the page's POST records the vote. The link's
 * signed token names the alert, watchlist, subscriber and vote, and nothing else is read
 * from the request, so a token cannot be pointed at another alert or subscriber.
 */
export function registerFeedbackPages(app: FastifyInstance, deps: WebDeps, limit: SubscribeLimit) {
  const { ctx } = deps;
  const rateLimit = { max: limit.max, timeWindow: limit.timeWindowMs };

  /** The binding and the alert it is about, or a reply already sent (403 / 410). */
  const resolve = async (
    token: unknown,
    reply: FastifyReply,
  ): Promise<{ binding: FeedbackBinding; subject: FeedbackSubject } | null> => {
    const binding = verifyFeedbackToken(ctx.links.secret, token);
    if (!binding) {
      await sendPage(reply, 403, "Link not valid", forbidden);
      return null;
    }
    const subject = await ctx.stores.feedback.subject(binding.alertId);
    if (!subject) {
      await sendPage(reply, 410, "Alert no longer kept", gone);
      return null;
    }
    // The subject was written by the sender from the alert itself; a token naming another
    // watchlist or subscriber than the alert's is refused.
    if (
      subject.watchlistId !== binding.watchlistId ||
      subject.subscriberId !== binding.subscriberId
    ) {
      await sendPage(reply, 403, "Link not valid", forbidden);
      return null;
    }
    return { binding, subject };
  };

  app.get<Query>("/feedback", { config: { rateLimit } }, async (req, reply) => {
    const found = await resolve(req.query.token, reply);
    if (!found) return reply;
    const { binding, subject } = found;
    const current = await ctx.stores.feedback.voteOf(binding.watchlistId, binding.alertId);
    // Once this link's vote is recorded, the one button switches to the other vote.
    const offer = current?.vote === binding.vote ? other(binding.vote) : binding.vote;
    const token =
      offer === binding.vote
        ? (req.query.token as string)
        : signFeedbackToken(ctx.links.secret, { ...binding, vote: offer });
    const watchlist = (await knownWatchlists(deps)).find((w) => w.id === subject.watchlistId);
    return sendPage(
      reply,
      200,
      "Alert feedback",
      html`<h1>Was this alert useful?</h1>
${req.query.recorded && current ? html`<p class="notice" role="status">Thank you: recorded as <strong>${LABEL[current.vote]}</strong>.</p>` : ""}
${alertFacts(subject, watchlist?.title ?? subject.watchlistId, current)}
<form method="post" action="/feedback?token=${token}">
<input type="hidden" name="_form" value="${feedbackFormToken(ctx.links.secret, token)}">
<button type="submit"${offer === "not-relevant" && current ? html` class="secondary"` : ""}>${BUTTON[offer]}</button>
</form>
<p class="hint">Your votes help the editor tune this watchlist. You can change your vote here at any time.</p>`,
    );
  });

  app.post<Query>("/feedback", { config: { rateLimit } }, async (req, reply) => {
    const token = req.query.token;
    if (crossSite(req) || typeof token !== "string" || !formGenuine(deps, token, req.body))
      return sendPage(reply, 403, "Link not valid", forbidden);
    const found = await resolve(token, reply);
    if (!found) return reply;
    const { binding, subject } = found;
    await ctx.stores.feedback.record(subject, binding.vote, new Date(deps.now()));
    ctx.log.info(
      { alertId: binding.alertId, watchlistId: binding.watchlistId, vote: binding.vote },
      "relevance vote",
    );
    return seeOther(reply, `/feedback?token=${encodeURIComponent(token)}&recorded=1`);
  });
}

function formGenuine(deps: WebDeps, token: string, body: unknown): boolean {
  const field = (body as Record<string, unknown> | undefined)?._form;
  return feedbackFormValid(deps.ctx.links.secret, token, field);
}

/**
 * Fetch Metadata (W3C): a browser says `Sec-Fetch-Site: cross-site` on a form another site
 * submitted. The page's own form is same-origin; clients that send no such header (older
 * browsers, scripts) still need the form's hidden field.
 */
function crossSite(req: FastifyRequest): boolean {
  return req.headers["sec-fetch-site"] === "cross-site";
}

function alertFacts(
  subject: FeedbackSubject,
  watchlistTitle: string,
  current: FeedbackVote | null,
) {
  const link = subject.link && /^https?:\/\//.test(subject.link) ? subject.link : null;
  return html`<dl class="facts">
<dt>Alert</dt><dd dir="auto" id="alert-title">${link ? html`<a href="${link}" rel="noopener noreferrer">${subject.title || "(untitled)"}</a>` : subject.title || "(untitled)"}</dd>
<dt>Source</dt><dd dir="auto">${subject.feed.title}</dd>
<dt>Watchlist</dt><dd dir="auto">${watchlistTitle}</dd>
<dt>Your vote</dt><dd id="current-vote">${current ? LABEL[current.vote] : "none yet"}</dd>
</dl>`;
}
