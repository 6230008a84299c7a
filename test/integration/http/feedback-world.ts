import type { ParsedMail } from "mailparser";
import type { WebOptions } from "../../../src/http/web.ts";
import { checkSubscription } from "../../../src/subscriptions/validate.ts";
import { rssFeed, type Story } from "../../fixtures/stories/wire.ts";
import { type FeedServer, startFeedServer } from "../../helpers/feed-server.ts";
import { baseYaml, startWeb, type WebHarness } from "./web-harness.ts";

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

/** Two reports an editor of the base-attacks watchlist wants, and two look-alike drills. */
export const USEFUL_STORIES: Story[] = [
  {
    guid: "fb-1",
    title: "Two Katyusha rockets hit Taji base north of Baghdad",
    text: "The rockets struck the base at dawn, officials in Iraq said.",
    published: minutesAgo(4),
    matches: true,
  },
  {
    guid: "fb-2",
    title: "Drone attack on Baghdad airport base",
    text: "A drone exploded near the base, Iraq's military said, causing damage.",
    published: minutesAgo(3),
    matches: true,
  },
];

export const DRILL_STORIES: Story[] = [
  {
    guid: "fb-3",
    title: "Iraqi army holds rocket drill at Taji base",
    text: "The live-fire drill near Baghdad was a planned exercise.",
    published: minutesAgo(2),
    matches: true,
  },
  {
    guid: "fb-4",
    title: "Rocket drill exercise at Baghdad airport base",
    text: "Troops in Iraq staged a drill with rockets; the exercise ended at noon.",
    published: minutesAgo(1),
    matches: true,
  },
];

export interface FeedbackWorld {
  web: WebHarness;
  feeds: FeedServer;
  /** The config subscriber's alert emails, one per story, by title. */
  mails: Map<string, ParsedMail>;
  /** With `apiWatchlist`: the API subscriber's emails about the API watchlist, by title. */
  apiMails: Map<string, ParsedMail>;
  close(): Promise<void>;
}

/**
 * The real pipeline delivers one alert email per story to a config-file subscriber: a feed
 * server publishes them, the poll finds them, the delivery workers send them through SMTP.
 */
export async function deliverAlerts(
  stories: Story[],
  opts: {
    listen?: boolean;
    web?: WebOptions;
    /** Also an API watchlist `base-watch` (same query), with an active API subscriber. */
    apiWatchlist?: boolean;
  } = {},
): Promise<FeedbackWorld> {
  const feeds = await startFeedServer();
  const yaml = baseYaml(`feeds:
  - { id: wire, url: "${feeds.origin}/wire.xml", title: "Test Wire" }
subscribers:
  - { id: desk, email: desk@example.org, watchlists: [iraq-base-attacks] }
  - { id: night, email: night@example.org, watchlists: [iraq-base-attacks] }`);
  const web = await startWeb({ yaml, listen: opts.listen, web: opts.web });
  const close = async () => {
    await web.close();
    await feeds.close();
  };
  try {
    if (opts.apiWatchlist) await addApiWatchlist(web);
    feeds.serve("/wire.xml", rssFeed("Test Wire", feeds.origin, []));
    await web.poll("wire"); // the first poll only records the (empty) backlog
    feeds.serve("/wire.xml", rssFeed("Test Wire", feeds.origin, stories));
    await web.poll("wire");
    web.startDeliveryWorkers();
    await web.waitForMail(stories.length * (opts.apiWatchlist ? 3 : 2));
  } catch (err) {
    await close();
    throw err;
  }
  const mailsTo = (address: string) => {
    const byTitle = new Map<string, ParsedMail>();
    for (const m of web.smtp.received)
      if (m.rcptTo.includes(address))
        byTitle.set(String(m.parsed.subject).replace(/^\[[^\]]+\] /, ""), m.parsed);
    return byTitle;
  };
  return {
    web,
    feeds,
    mails: mailsTo("desk@example.org"),
    apiMails: mailsTo(API_SUBSCRIBER),
    close,
  };
}

export const API_SUBSCRIBER = "editor@example.org";

/** A watchlist made through the API (so the editor can change it) and a confirmed reader. */
async function addApiWatchlist(web: WebHarness) {
  const query = web.ctx.snapshot().config.watchlists[0]?.query as string;
  await web.ctx.apiWatchlists.put({
    id: "base-watch",
    title: "Base watch",
    query,
    stemming: true,
    alertOnUpdate: false,
  });
  await web.ctx.loadApiWatchlists();
  const check = checkSubscription(
    { email: API_SUBSCRIBER, watchlists: ["base-watch"] },
    new Set(["base-watch"]),
  );
  if (!check.ok) throw new Error(JSON.stringify(check.errors));
  const sub = await web.subscriptions.create(check.value);
  await web.ctx.stores.statuses.set(sub.id, "active", "confirmed in the test");
}

/** The "Useful" or "Not relevant" link of an alert's text part, as a local path. */
export function feedbackLink(mail: ParsedMail | undefined, label: "Useful" | "Not relevant") {
  const match = new RegExp(`^${label}: (\\S+/feedback\\?token=[\\w.-]+)$`, "m").exec(
    String(mail?.text),
  );
  if (!match?.[1]) throw new Error(`no ${label} link in: ${String(mail?.text).slice(0, 800)}`);
  const url = new URL(match[1]);
  return `${url.pathname}${url.search}`;
}
