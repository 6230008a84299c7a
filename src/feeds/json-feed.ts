import { z } from "zod";
import { FetchError } from "./fetch-error.ts";
import { htmlToText } from "./html-text.ts";
import type { ParsedFeed, RawEntry } from "./raw-feed.ts";

const text = z.string().nullish().catch(null);
const author = z.object({ name: text }).passthrough().nullish().catch(null);

// Lenient where publishers are sloppy (a number id, a bad author), strict where it matters:
// it must say it is a JSON Feed and have an items array.
const jsonFeed = z.object({
  version: z.string().regex(/^https?:\/\/jsonfeed\.org\/version\/1(\.1)?\/?$/),
  title: text,
  home_page_url: text,
  items: z.array(
    z.object({
      id: z.union([z.string(), z.number()]).nullish().catch(null),
      url: text,
      external_url: text,
      title: text,
      content_html: text,
      content_text: text,
      summary: text,
      date_published: text,
      date_modified: text,
      author: author, // 1.0
      authors: z.array(author).nullish().catch(null), // 1.1
      tags: z.array(z.unknown()).nullish().catch(null),
    }),
  ),
});

/** Reads a JSON Feed 1.0 or 1.1 document (https://jsonfeed.org/version/1.1). */
export function parseJsonFeed(body: string): ParsedFeed {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (cause) {
    throw new FetchError("parse", `invalid JSON: ${(cause as Error).message}`, { cause });
  }
  const result = jsonFeed.safeParse(data);
  if (!result.success) {
    const version = (data as { version?: unknown } | null)?.version;
    if (typeof version !== "string" || !version.includes("jsonfeed.org")) {
      throw new FetchError(
        "not-a-feed",
        "JSON document that is not a JSON Feed (no jsonfeed.org version)",
      );
    }
    const issue = result.error.issues[0];
    throw new FetchError(
      "parse",
      `invalid JSON Feed at ${issue?.path.join(".") || "top level"}: ${issue?.message}`,
    );
  }
  const feed = result.data;
  return {
    format: "json",
    title: htmlToText(feed.title ?? ""),
    link: feed.home_page_url ?? null,
    ttlMinutes: null,
    updatePeriodMinutes: null,
    entries: feed.items.map(
      (item): RawEntry => ({
        guid: item.id === null || item.id === undefined ? null : String(item.id),
        link: item.url ?? item.external_url ?? null,
        title: item.title ?? null,
        published: item.date_published ?? item.date_modified ?? null,
        author: item.authors?.find((a) => a?.name)?.name ?? item.author?.name ?? null,
        categories: (item.tags ?? []).filter((t): t is string => typeof t === "string"),
        html: item.content_html ?? (item.content_text ? escapeHtml(item.content_text) : null),
        summary: item.summary ?? null,
      }),
    ),
  };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
