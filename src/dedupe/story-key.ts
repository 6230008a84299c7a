import { ALLOWED_PROTOCOLS } from "../net/address-policy.ts";

/**
 * Keys that make one story out of the same report carried by several outlets.
 * Two items are one story when their canonical URLs are equal or their title
 * fingerprints are equal.
 */

/** Query parameters that only track the reader, never choose the article. */
const TRACKING_PARAM =
  /^(utm_[a-z]+|fbclid|gclid|dclid|mc_cid|mc_eid|igshid|ref|ref_src|cmpid|ocid|at_medium|at_campaign|ito|smid)$/i;

/**
 * The URL with what does not identify the article removed: the scheme (http and https
 * copies are the same page), `www.`, default ports, fragments, tracking parameters,
 * trailing slashes; the remaining parameters sorted. Null when the text is not a URL.
 */
export function canonicalUrl(link: string): string | null {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) return null;
  const host = url.hostname.toLowerCase().replace(/^www\./, "");
  const params = [...url.searchParams.entries()]
    .filter(([name]) => !TRACKING_PARAM.test(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = params.length > 0 ? `?${new URLSearchParams(params).toString()}` : "";
  const path = url.pathname.replace(/\/+$/, "") || "/";
  return `${host}${url.port ? `:${url.port}` : ""}${path}${query}`;
}

const STOPWORDS = new Set(
  "a an and are as at be by for from has have in is it its of on or over says said the to was were with after amid into".split(
    " ",
  ),
);

/**
 * A near-duplicate title fingerprint: folded case and accents, punctuation dropped, small
 * function words removed, the rest sorted and de-duplicated. Wire copies that differ by
 * punctuation, case, word order or an outlet suffix ("... - Reuters") collapse to the same
 * key; titles that differ by a content word stay apart, which errs on the side of alerting.
 * Null when too few words remain to be distinctive (short titles would merge unrelated stories).
 */
export function titleFingerprint(title: string): string | null {
  const withoutOutlet = title.replace(/\s+[|\-–—]\s+[^|\-–—]{2,40}$/u, "");
  const words = withoutOutlet
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 && !STOPWORDS.has(w));
  const unique = [...new Set(words)].sort();
  return unique.length >= 4 ? unique.join(" ") : null;
}
