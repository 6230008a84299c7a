import { prng } from "../../test/property/generate.ts";
/**
 * Deterministic feed pages for the benchmarks: feed i at version v carries 100 items, the
 * newest `perVersion` of them new in v. Words come from a fixed vocabulary, so watchlist rules
 * built from the same words match a predictable share of items.
 */
export const VOCABULARY = (
  "rocket drone base airport strike attack ceasefire election parliament budget oil pipeline " +
  "refinery border protest minister militia convoy explosion flood drought earthquake bridge " +
  "railway port harbour shipping tanker embargo sanction summit treaty court verdict prison " +
  "hospital outbreak vaccine school university strike union wage inflation currency bank " +
  "market export import wheat harvest storm wildfire dam reservoir power outage grid"
).split(" ");

export const ITEMS_PER_PAGE = 100;

function words(rand: () => number, n: number): string {
  return Array.from({ length: n }, () => VOCABULARY[Math.floor(rand() * VOCABULARY.length)]).join(
    " ",
  );
}

/** Topic codes: 10,000 rules on `code0`..`code9999` match about one item in five. */
export const TOPIC_SPACE = 100_000;

function topics(rand: () => number): string {
  return `code${Math.floor(rand() * TOPIC_SPACE)} code${Math.floor(rand() * TOPIC_SPACE)}`;
}

/** The RSS document of feed `index` at `version`: item k of version v has guid f<i>-v<v>-<k>. */
export function feedBody(index: number, version: number, perVersion = ITEMS_PER_PAGE): string {
  const items: string[] = [];
  const now = Date.now();
  for (let n = 0; n < ITEMS_PER_PAGE; n++) {
    const v = version - Math.floor(n / perVersion);
    const k = n % perVersion;
    if (v < 0) break;
    const rand = prng(index * 1_000_003 + v * 7919 + k);
    const published = new Date(now - n * 60_000).toUTCString();
    items.push(
      `<item><title>${words(rand, 8)} ${topics(rand)}</title><link>http://127.0.0.1/f${index}/v${v}/${k}</link>` +
        `<guid isPermaLink="false">f${index}-v${v}-${k}</guid><pubDate>${published}</pubDate>` +
        `<description>${words(rand, 40)}</description></item>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed ${index}</title><link>http://127.0.0.1/f${index}</link><description>bench</description>${items.join("")}</channel></rss>`;
}
