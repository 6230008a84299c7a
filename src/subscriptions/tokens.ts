import { createHmac, timingSafeEqual } from "node:crypto";

/** What a signed link lets its holder do; a token for one purpose is refused for another. */
export type TokenPurpose = "unsubscribe" | "manage" | "confirm";

/**
 * Unguessable, stateless link tokens: `<subscriber id>.<HMAC-SHA256(secret, purpose|id)>`.
 * Nothing to store or expire per message, and a leaked unsubscribe link cannot be turned
 * into a manage link.
 */
export function signToken(secret: string, purpose: TokenPurpose, subscriberId: string): string {
  return `${subscriberId}.${mac(secret, purpose, subscriberId)}`;
}

/** Returns the subscriber id the token was made for, or null when it is not genuine. */
export function verifyToken(secret: string, purpose: TokenPurpose, token: string): string | null {
  const dot = token.lastIndexOf(".");
  if (dot <= 0) return null;
  const subscriberId = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(secret, purpose, subscriberId));
  return given.length === expected.length && timingSafeEqual(given, expected) ? subscriberId : null;
}

function mac(secret: string, purpose: TokenPurpose, subscriberId: string): string {
  return createHmac("sha256", secret).update(`${purpose}|${subscriberId}`).digest("base64url");
}

/** What a relevance vote is about: one alert, to one subscriber, for one watchlist. */
export interface FeedbackSubject {
  subscriberId: string;
  alertId: string;
  watchlistId: string;
}

export type Vote = "useful" | "not-relevant";

/**
 * A feedback link's token: the subject (base64url JSON) and an HMAC over it under its own
 * purpose, so it cannot be turned into an unsubscribe link, nor moved to another alert or
 * subscriber (either would change what was signed).
 */
export function signFeedback(secret: string, subject: FeedbackSubject): string {
  const payload = Buffer.from(
    JSON.stringify([subject.subscriberId, subject.alertId, subject.watchlistId]),
  ).toString("base64url");
  return `${payload}.${feedbackMac(secret, payload)}`;
}

/** The subject a feedback token was made for, or null when it is not genuine. */
export function verifyFeedback(secret: string, token: string): FeedbackSubject | null {
  const dot = token.lastIndexOf(".");
  if (dot <= 0) return null;
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(feedbackMac(secret, payload));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const [subscriberId, alertId, watchlistId] = JSON.parse(
      Buffer.from(payload, "base64url").toString("utf8"),
    ) as unknown[];
    if (typeof subscriberId !== "string" || typeof alertId !== "string") return null;
    if (typeof watchlistId !== "string") return null;
    return { subscriberId, alertId, watchlistId };
  } catch {
    return null;
  }
}

function feedbackMac(secret: string, payload: string): string {
  return createHmac("sha256", secret).update(`feedback|${payload}`).digest("base64url");
}

/** Builds the links every message carries. */
export class LinkBuilder {
  constructor(
    private readonly publicUrl: string,
    readonly secret: string,
  ) {}

  unsubscribe(subscriberId: string): string {
    return this.url("/unsubscribe", signToken(this.secret, "unsubscribe", subscriberId));
  }

  manage(subscriberId: string): string {
    return this.url("/manage", signToken(this.secret, "manage", subscriberId));
  }

  confirm(subscriberId: string): string {
    return this.url("/confirm", signToken(this.secret, "confirm", subscriberId));
  }

  /** "Useful" and "Not relevant" links of one alert. */
  feedback(subject: FeedbackSubject): { useful: string; notRelevant: string } {
    const token = signFeedback(this.secret, subject);
    const link = (vote: Vote) => {
      const url = new URL(this.url("/feedback", token));
      url.searchParams.set("vote", vote);
      return url.toString();
    };
    return { useful: link("useful"), notRelevant: link("not-relevant") };
  }

  private url(path: string, token: string): string {
    const url = new URL(path, this.publicUrl);
    url.searchParams.set("token", token);
    return url.toString();
  }
}
