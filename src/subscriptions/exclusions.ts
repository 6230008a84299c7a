import keywordExtractor from "keyword-extractor";
import { analyze } from "../rules/index.ts";
import type { FeedbackVote } from "../store/feedback.ts";
import type { RecentItem } from "../store/recent-items.ts";
import { previewQuery } from "./preview.ts";

/** A term to add as `-term`: common in items voted not relevant, rare in useful ones. */
export interface ProposedExclusion {
  /** The word as it goes into the query (folded; the query stems it as the items were). */
  term: string;
  /** Not-relevant / useful items containing it. */
  notRelevant: number;
  useful: number;
  /** Recent stored items the watchlist matches today that `-term` would remove (7 days). */
  removes: number;
  /** Titles of some of those items, newest first. */
  examples: string[];
}

const STOPWORDS = new Set(keywordExtractor.getStopwords({ language: "english" }));
const MAX_PROPOSALS = 5;
/** "Common": in at least this share of the not-relevant items (and in two of them). */
const COMMON_SHARE = 0.3;
/** "Rare": in at most this share of the useful items. */
const RARE_SHARE = 0.1;

const usable = (term: string) => term.length >= 3 && !/^\d+$/.test(term) && !STOPWORDS.has(term);

/** stem → how it was written → count. */
type Forms = Map<string, Map<string, number>>;

/** Per item: the stems it contains, and how each stem was written (for the query's term). */
function stemsOf(text: string, stemming: boolean, forms: Forms | null) {
  const stems = new Set<string>();
  for (const token of analyze(text, { stemming })) {
    if (!usable(token.term)) continue;
    stems.add(token.stem);
    if (forms) {
      const written = forms.get(token.stem) ?? new Map<string, number>();
      written.set(token.term, (written.get(token.term) ?? 0) + 1);
      forms.set(token.stem, written);
    }
  }
  return stems;
}

function documentFrequency(votes: FeedbackVote[], stemming: boolean, forms: Forms | null) {
  const df = new Map<string, number>();
  for (const v of votes)
    for (const stem of stemsOf(`${v.title}\n${v.text}`, stemming, forms))
      df.set(stem, (df.get(stem) ?? 0) + 1);
  return df;
}

function mostWritten(written: Map<string, number> | undefined): string | null {
  if (!written) return null;
  return [...written].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
}

/**
 * Exclusions learnt from votes. Items are analysed with the rules' own analyser (case folding,
 * Arabic normalisation, Porter or Light10 stems when the watchlist stems), so a proposed term
 * means in the query what it meant in the items; words of the query itself are never proposed
 * (excluding them would remove every match). Each proposal carries the preview of what
 * `(query) -term` would have dropped among recent stored items.
 */
export function proposeExclusions(
  votes: FeedbackVote[],
  watchlist: { query: string; stemming: boolean },
  lists: Record<string, string[]>,
  recent: readonly RecentItem[],
  now: number,
): ProposedExclusion[] {
  const bad = votes.filter((v) => v.vote === "not-relevant");
  const good = votes.filter((v) => v.vote === "useful");
  if (bad.length < 2) return [];
  const forms: Forms = new Map();
  const badDf = documentFrequency(bad, watchlist.stemming, forms);
  const goodDf = documentFrequency(good, watchlist.stemming, null);
  const inQuery = new Set(
    analyze(watchlist.query, { stemming: watchlist.stemming }).map((t) => t.stem),
  );
  const minBad = Math.max(2, Math.ceil(COMMON_SHARE * bad.length));
  const candidates = [...badDf]
    .filter(([stem, n]) => n >= minBad && !inQuery.has(stem))
    .map(([stem, n]) => ({ stem, n, u: goodDf.get(stem) ?? 0 }))
    .filter((c) => c.u <= RARE_SHARE * good.length)
    .map((c) => ({ ...c, score: c.n / bad.length - c.u / Math.max(1, good.length) }))
    .sort((a, b) => b.score - a.score || b.n - a.n || a.stem.localeCompare(b.stem))
    .slice(0, MAX_PROPOSALS);
  const proposals: ProposedExclusion[] = [];
  for (const c of candidates) {
    const term = mostWritten(forms.get(c.stem));
    if (!term) continue;
    // What the term would remove: the items the watchlist matches that also contain it.
    const preview = previewQuery(
      `(${watchlist.query}) AND ${term}`,
      { stemming: watchlist.stemming, lists, now, limit: 3 },
      recent,
    );
    proposals.push({
      term,
      notRelevant: c.n,
      useful: c.u,
      removes: preview.total,
      examples: preview.items.map((i) => i.title),
    });
  }
  return proposals;
}

/** The query with `-term` added, parenthesised when needed so the exclusion applies to all of it. */
export function withExclusion(query: string, term: string): string {
  const q = query.trim();
  return /\bOR\b/.test(q) ? `(${q}) -${term}` : `${q} -${term}`;
}
