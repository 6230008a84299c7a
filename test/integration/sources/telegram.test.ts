import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { refreshFeed } from "../../../src/pipeline/refresh-feed.ts";
import type { AppContext } from "../../../src/runtime/context.ts";
import { useTestContexts } from "../../helpers/context.ts";
import { type FeedServer, startFeedServer } from "../../helpers/feed-server.ts";

let server: FeedServer;
let channel: string;
const contexts = useTestContexts("telegram");

const config = () => `
security: { allowPrivateNetworks: true }
defaults: { hostSpacing: 0s, minInterval: 30s }
feeds:
  - { id: tg, kind: telegram, channel: frontline_watch, url: "${server.origin}/s/frontline_watch", every: 1m }
watchlists:
  - { id: bases, title: Bases, query: 'drone AND base' }
  - { id: bases-edits, title: Bases with edits, query: 'drone AND base', alertOnUpdate: true }
subscribers:
  - { id: desk, email: desk@example.org, watchlists: [bases] }
`;

async function alerts(ctx: AppContext): Promise<string[]> {
  const jobs = await ctx.queues.email.getJobs(["waiting", "delayed", "active", "completed"]);
  return jobs.map((j) => j.data.message.alert.item.link as string);
}

/** The fixture with one more post at the end of the history (the newest, as Telegram lists them). */
function withPost(html: string, id: number, text: string): string {
  return html.replace(
    "    </section>",
    `      <div class="tgme_widget_message_wrap js-widget_message_wrap">
        <div class="tgme_widget_message js-widget_message" data-post="frontline_watch/${id}">
          <div class="tgme_widget_message_bubble">
            <div class="tgme_widget_message_text js-message_text" dir="auto">${text}</div>
            <span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="https://t.me/frontline_watch/${id}"><time datetime="2026-12-02T21:00:00+00:00" class="time">21:00</time></a></span>
          </div>
        </div>
      </div>
    </section>`,
  );
}

beforeEach(async () => {
  server = await startFeedServer();
  channel = await readFile(
    path.join(import.meta.dirname, "../../fixtures/pages/telegram-channel.html"),
    "utf8",
  );
});
afterEach(async () => {
  await server.close();
});

describe("kind: telegram", () => {
  test("a new post alerts once with its t.me link, an edited post is an edit and not a new item, and the channel is polled every 5 minutes at most often", async () => {
    server.serve("/s/frontline_watch", channel, "text/html; charset=utf-8");
    const ctx = await contexts.open(config());
    expect(await refreshFeed("tg", ctx.refreshDeps())).toMatchObject({
      status: "ok",
      newItems: 3,
    });

    const posted = withPost(channel, 4813, "A second drone was shot down over the Harir base.");
    server.serve("/s/frontline_watch", posted, "text/html; charset=utf-8");
    const before = Date.now();
    expect(await refreshFeed("tg", ctx.refreshDeps())).toMatchObject({
      newItems: 1,
      matchedItems: 1,
    });
    const state = await ctx.stores.feedStates.get("tg");
    expect((state.nextPollAt ?? 0) - before).toBeGreaterThanOrEqual(5 * 60_000);

    const edited = posted.replace("A second drone was shot down", "A second drone was downed");
    server.serve("/s/frontline_watch", edited, "text/html; charset=utf-8");
    const afterEdit = await refreshFeed("tg", ctx.refreshDeps());
    expect(afterEdit).toMatchObject({ status: "ok", newItems: 0, matchedItems: 1 });
    expect(await alerts(ctx)).toEqual(["https://t.me/frontline_watch/4813"]);
  });

  test("a page whose layout changed so no post is recognised is this feed's error, with the reason", async () => {
    server.serve(
      "/s/frontline_watch",
      "<!DOCTYPE html><html><body><div class='post-v2' data-id='4811'>a drone struck the base</div></body></html>",
      "text/html",
    );
    const ctx = await contexts.open(config());
    const outcome = await refreshFeed("tg", ctx.refreshDeps());
    expect(outcome).toMatchObject({ status: "failed", error: { category: "layout" } });
    expect((await ctx.stores.feedStates.get("tg")).lastError).toMatch(
      /no Telegram posts recognised .*layout may have changed/,
    );
  });
});
