import { load } from "cheerio/slim";
import { FetchError } from "../feeds/fetch-error.ts";
import type { ParsedFeed, RawEntry } from "../feeds/raw-feed.ts";

/** Posts read from one page at most (the newest): the preview itself shows about 20. */
const MAX_POSTS = 200;

// A post's id as the page gives it: "channel/123".
const POST_ID = /^([A-Za-z0-9_]{4,32})\/(\d{1,12})$/;

/**
 * Reads a channel's web preview (t.me/s/NAME): each message element carrying a `data-post`
 * id becomes an entry with its text, its `<time datetime>` and its link t.me/NAME/ID. A post
 * is identified by that id, so an edited post is an edit of the same item. Throws FetchError
 * ("layout") when nothing on the page looks like a post or a channel: Telegram changed its
 * markup, or the URL is not a channel preview.
 */
export function readTelegramPage(html: string, pageUrl: string): ParsedFeed {
  const $ = load(html);
  const entries: RawEntry[] = [];
  // The preview lists about 20 posts, oldest first; a page of thousands is not one.
  const posts = $("[data-post]").toArray().slice(-MAX_POSTS);
  for (const el of posts) {
    const post = $(el);
    const id = POST_ID.exec(post.attr("data-post") ?? "");
    // "Channel created", "pinned a message": notices of Telegram's, not the channel's posts.
    if (!id || post.is(".service_message") || post.find(".service_message").length > 0) continue;
    const text = post.find(".tgme_widget_message_text").first();
    const caption = text.length ? (text.html() ?? "") : "";
    const time = post.find(".tgme_widget_message_date time[datetime], time[datetime]").first();
    const author = post.find(".tgme_widget_message_from_author").first().text().trim();
    entries.push({
      guid: `${id[1]}/${id[2]}`,
      link: `https://t.me/${id[1]}/${id[2]}`,
      // Posts have no headline: normalize titles them with the opening of the text.
      title: null,
      published: time.attr("datetime") ?? null,
      author: author || null,
      categories: [],
      html: caption || null,
      summary: null,
    });
  }
  const channelTitle = $(".tgme_channel_info_header_title").first().text().trim();
  if (entries.length === 0 && !channelTitle) {
    throw new FetchError(
      "layout",
      `no Telegram posts recognised on ${pageUrl} (no message elements with a data-post id): the preview's layout may have changed, or the channel has no public preview`,
    );
  }
  return {
    format: "telegram",
    title: channelTitle || $("meta[property='og:title']").attr("content")?.trim() || "",
    link: pageUrl,
    ttlMinutes: null,
    updatePeriodMinutes: null,
    entries,
  };
}
