import type { SnippetSegment } from "../model/alert.ts";
import { toMatchDocument } from "../pipeline/process-items.ts";
import {
  buildSnippet,
  checkQuery,
  compileRules,
  DocumentWords,
  type IndexedRuleSet,
  type MatchDocument,
  type RuleMatch,
  type RuleSpec,
} from "../rules/index.ts";
import { appearedAt, type RecentItem } from "../store/recent-items.ts";

export interface PreviewHit {
  title: string;
  link: string | null;
  feed: { id: string; title: string };
  published: string | null;
  discoveredAt: string;
  snippet: SnippetSegment[];
}

export interface DayCount {
  /** Calendar day in UTC, YYYY-MM-DD. */
  day: string;
  count: number;
}

export interface Preview {
  error?: { message: string; column: number };
  warnings: string[];
  total: number;
  /** One entry per day of the window, oldest first, zeros included (a chart needs them). */
  perDay: DayCount[];
  /** Newest first, at most `limit`. */
  items: PreviewHit[];
}

const DAY_MS = 86_400_000;

/**
 * The word ids of the stored recent items, kept for this process's life: a preview at each
 * pause in typing then analyses only the items the query could match, not all 20,000.
 */
const recentWords = new DocumentWords();

/** Item id and content hash name what was analysed; a changed item is analysed again. */
const wordsKey = (r: RecentItem) => `${r.feed.id}\n${r.item.id}\n${r.item.contentHash}`;

/**
 * Matches stored items, passing over those no rule could match (see DocumentWords). With
 * `words: null` every item is analysed: the reference the shortcut must agree with.
 */
function matchRecent(
  ruleSet: IndexedRuleSet,
  items: readonly RecentItem[],
  words: DocumentWords | null,
  each: (recent: RecentItem, doc: MatchDocument, matches: RuleMatch[]) => void,
): void {
  for (const recent of items) {
    const doc = toMatchDocument(recent.item);
    if (words) {
      const { ids, feed } = words.of(wordsKey(recent), doc);
      if (!ruleSet.couldMatch(ids, feed)) continue;
    }
    const matches = ruleSet.match(doc);
    if (matches.length > 0) each(recent, doc, matches);
  }
  // Memory follows the store: items trimmed from it are forgotten here too.
  if (words && words.size > items.length * 2 + 1000) words.retain(new Set(items.map(wordsKey)));
}

export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The `days` calendar days ending today (UTC), oldest first. */
export function lastDays(now: number, days: number): string[] {
  return Array.from({ length: days }, (_, i) => dayOf(now - (days - 1 - i) * DAY_MS));
}

/**
 * What a query would have matched among recent items, through the same parser, matcher and
 * snippet builder that alerts use, so the preview cannot disagree with the alerts.
 */
export function previewQuery(
  query: string,
  opts: {
    stemming?: boolean;
    lists: Record<string, string[]>;
    now: number;
    days?: number;
    limit?: number;
    /** The word-id cache; null analyses every item (the reference for tests). */
    words?: DocumentWords | null;
  },
  items: readonly RecentItem[],
): Preview {
  const days = lastDays(opts.now, opts.days ?? 7);
  const check = checkQuery(query, opts.lists, { stemming: opts.stemming ?? true });
  const empty = days.map((day) => ({ day, count: 0 }));
  if (check.error) return { error: check.error, warnings: [], total: 0, perDay: empty, items: [] };
  const { ruleSet } = compileRules(
    [{ id: "preview", query, stemming: opts.stemming ?? true }],
    opts.lists,
  );
  const counts = new Map(days.map((d) => [d, 0]));
  const hits: PreviewHit[] = [];
  let total = 0;
  const words = opts.words === undefined ? recentWords : opts.words;
  matchRecent(ruleSet, items, words, (recent, doc, [match]) => {
    if (!match) return;
    total++;
    const day = dayOf(appearedAt(recent));
    if (counts.has(day)) counts.set(day, (counts.get(day) ?? 0) + 1);
    if (hits.length < (opts.limit ?? 50)) {
      hits.push({
        title: recent.item.title,
        link: recent.item.link,
        feed: { id: recent.feed.id, title: recent.feed.title },
        published: recent.item.published,
        discoveredAt: new Date(recent.discoveredAt).toISOString(),
        snippet: buildSnippet(doc, match.matched),
      });
    }
  });
  return {
    warnings: check.warnings,
    total,
    perDay: days.map((day) => ({ day, count: counts.get(day) ?? 0 })),
    items: hits,
  };
}

/**
 * Matches per watchlist per day over recent items: the Activity chart, computed from the
 * items themselves with today's rules.
 */
export function matchesPerWatchlist(
  rules: RuleSpec[],
  lists: Record<string, string[]>,
  items: readonly RecentItem[],
  now: number,
  days = 7,
): { watchlistId: string; perDay: DayCount[]; total: number }[] {
  const dayList = lastDays(now, days);
  const { ruleSet } = compileRules(rules, lists);
  const counts = new Map(rules.map((r) => [r.id, new Map(dayList.map((d) => [d, 0]))]));
  matchRecent(ruleSet, items, recentWords, (recent, _doc, matches) => {
    const day = dayOf(appearedAt(recent));
    for (const m of matches) {
      const perDay = counts.get(m.ruleId);
      if (perDay?.has(day)) perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
  });
  return rules.map((r) => {
    const perDay = dayList.map((day) => ({ day, count: counts.get(r.id)?.get(day) ?? 0 }));
    return { watchlistId: r.id, perDay, total: perDay.reduce((n, d) => n + d.count, 0) };
  });
}
