import { porterStem } from "./porter.ts";

/** One word of a text, with its offsets into the original string. */
export interface Token {
  /** The word folded: NFKC, lower case, diacritics removed. Prefix terms match this. */
  term: string;
  /** Porter stem of `term` (equal to `term` when stemming is off). */
  stem: string;
  /** UTF-16 offsets into the analysed string: `text.slice(start, end)` is the word as written. */
  start: number;
  end: number;
  /** Index of the token in its field: phrases and NEAR count these. */
  position: number;
}

// Letters and digits make words, like FTS5's unicode61 (categories L* and N*). Combining marks
// stay attached so that a decomposed "é" is one word and then loses its accent when folded.
const WORD = /[\p{L}\p{N}\p{Mn}\p{Co}]+/gu;
const MARKS = /\p{Mn}/gu;
const NOT_WORD_CHAR = /[^\p{L}\p{N}\p{Co}]/gu;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range is meant
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Folds a word the way FTS5 unicode61 with remove_diacritics 2 does, plus NFKC: compatibility
 * forms (ligatures, full-width letters) become plain letters, accents are dropped, case is
 * folded. NFKD then dropping marks is NFKC without the recomposition, which we don't want.
 */
export function foldWord(word: string): string {
  if (!NON_ASCII.test(word)) return word.toLowerCase();
  return word.normalize("NFKD").replace(MARKS, "").toLowerCase().replace(NOT_WORD_CHAR, "");
}

/** Folds a whole value kept as one unit (a feed id): same folding, punctuation kept. */
export function foldValue(value: string): string {
  return value.normalize("NFKD").replace(MARKS, "").toLowerCase().trim();
}

interface Folded {
  term: string;
  stem: string;
}

// Items come from a Zipf-like vocabulary: most words repeat, so folding and stemming are
// memoised. The cache is dropped when full rather than evicted entry by entry: simple and rare.
const CACHE_LIMIT = 200_000;
let cache = new Map<string, Folded>();

function fold(raw: string): Folded {
  let hit = cache.get(raw);
  if (hit === undefined) {
    const term = foldWord(raw);
    hit = { term, stem: porterStem(term) };
    if (cache.size >= CACHE_LIMIT) cache = new Map();
    cache.set(raw, hit);
  }
  return hit;
}

/** Splits text into folded, stemmed tokens with offsets; the analyzer for queries and items. */
export function analyze(text: string, opts?: { stemming?: boolean }): Token[] {
  const stemming = opts?.stemming ?? true;
  const tokens: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const f = fold(m[0]);
    // A run of marks alone (or a compatibility form with no letters left) is not a word.
    if (f.term === "") continue;
    const start = m.index;
    tokens.push({
      term: f.term,
      stem: stemming ? f.stem : f.term,
      start,
      end: start + m[0].length,
      position: tokens.length,
    });
  }
  return tokens;
}

/** The stem used for a query word: the same path items take, so both sides always agree. */
export function stemOf(term: string): string {
  return porterStem(term);
}
