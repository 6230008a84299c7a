import { MAX_FIELD_CHARS } from "../feeds/normalize.ts";
import type { Logger } from "../log.ts";
import type { FeedItem } from "../model/item.ts";
import type { GetDocument } from "./read-source.ts";

/**
 * Articles fetched per poll at most. A feed that suddenly lists 200 new items would otherwise
 * send 200 requests to its publisher in one poll; the rest are matched on the feed's own text.
 */
export const MAX_FULL_TEXTS_PER_POLL = 20;

/**
 * For a `fullText` feed: the story text of each new item's linked article, fetched through the
 * poll's guarded fetcher (SSRF guard, body cap, host gate) and extracted with Readability.
 * Only new items: an edit or a seen item is never fetched again. A failure leaves the item
 * out of the map, so it is matched on the feed's text as before.
 */
export async function fetchFullTexts(
  entries: readonly { item: FeedItem; novelty: "new" | "edited" }[],
  get: GetDocument,
  log: Logger,
): Promise<Map<string, string>> {
  const wanted = entries
    .filter((e) => e.novelty === "new" && e.item.link)
    .slice(0, MAX_FULL_TEXTS_PER_POLL)
    .map((e) => e.item);
  const bodies = new Map<string, string>();
  await Promise.all(
    wanted.map(async (item) => {
      const body = await articleText(item.link ?? "", get).catch((err: Error) => {
        log.info({ itemId: item.id, link: item.link, err: err.message }, "full text not fetched");
        return null;
      });
      if (body) bodies.set(item.id, body.slice(0, MAX_FIELD_CHARS));
    }),
  );
  return bodies;
}

async function articleText(link: string, get: GetDocument): Promise<string | null> {
  const page = await get({ url: link });
  if (page.kind !== "ok") return null;
  if (page.contentType && !/html|xml/i.test(page.contentType)) return null;
  const { extractArticle } = await articleModule();
  return extractArticle(page.body, page.finalUrl);
}

// Loaded on first use: Readability and linkedom add about 23 MB to a process, which
// installations without a fullText feed should not pay.
let article: Promise<typeof import("../sources/article.ts")> | undefined;
const articleModule = () => {
  article ??= import("../sources/article.ts");
  return article;
};
