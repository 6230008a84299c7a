import { type Mark, newMarkId, releaseMarkIds } from "./marks.ts";
import { porterStem } from "./porter.ts";

export type { Mark } from "./marks.ts";

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

/**
 * A distinct folded word, shared by every occurrence of it anywhere. Being one object per
 * word lets the matcher key per-item maps by identity and memoise index lookups on it.
 */
export interface Word extends Mark {
  term: string;
  stem: string;
  /** Shared by all words with this stem (rockets, rocket): marked when any of them is present. */
  stemMark: StemMark;
  /** Rules the index filed under this word, for the rule set that computed them last. */
  memo: { owner: number } | null;
  /** Scratch for chaining positions while one field is analysed (see FieldText). */
  stamp: number;
  head: number;
}

export interface StemMark extends Mark {
  stem: string;
}

const MARKS = /\p{Mn}/gu;
const NOT_WORD_CHAR = /[^\p{L}\p{N}\p{Co}]/gu;
// Letters and digits make words, like FTS5's unicode61 (categories L*, N*, Co). Combining
// marks stay attached so that a decomposed "é" is one word and then loses its accent.
const WORD_CHAR = /[\p{L}\p{N}\p{Mn}\p{Co}]/u;
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

// Items come from a Zipf-like vocabulary: most words repeat, so folding and stemming are
// memoised. The caches are dropped when full rather than evicted entry by entry: simple, rare.
const CACHE_LIMIT = 500_000;
let byTerm = new Map<string, Word>();
let byStem = new Map<string, StemMark>();

/** Drops unpinned entries: rules keep references to pinned ones, which must stay canonical. */
function pinnedOnly<T extends Mark>(map: Map<string, T>): Map<string, T> {
  const kept = new Map<string, T>();
  const dropped: number[] = [];
  for (const [k, v] of map) {
    if (v.pinned) kept.set(k, v);
    else dropped.push(v.id);
  }
  releaseMarkIds(dropped);
  return kept;
}

/** The shared mark for a stem. */
export function stemMarkOf(stem: string): StemMark {
  let m = byStem.get(stem);
  if (m === undefined) {
    if (byStem.size >= CACHE_LIMIT) resetWordCaches();
    m = { id: newMarkId(), stem, pinned: false };
    byStem.set(stem, m);
  }
  return m;
}

/** The shared Word for a folded word. */
export function wordForTerm(term: string): Word {
  let w = byTerm.get(term);
  if (w === undefined) {
    if (byTerm.size >= CACHE_LIMIT) resetWordCaches();
    const stem = porterStem(term);
    w = {
      term,
      stem,
      stemMark: stemMarkOf(stem),
      memo: null,
      stamp: 0,
      head: -1,
      id: newMarkId(),
      pinned: false,
    };
    byTerm.set(term, w);
  }
  return w;
}

/**
 * Words as written -> Word, in an open-addressing table keyed by a hash computed while scanning:
 * a word seen before costs no substring, no string hashing and about one cache miss. This is
 * the hot path of matching (every word of every item), and with a news-sized vocabulary it is
 * bound by memory latency, so fewer pointer hops is what makes it fast.
 */
const RAW_BITS = 18;
const RAW_SIZE = 1 << RAW_BITS;
const RAW_MASK = RAW_SIZE - 1;
const rawHashes = new Int32Array(RAW_SIZE);
let rawKeys: (string | undefined)[] = new Array(RAW_SIZE);
let rawWords: (Word | undefined)[] = new Array(RAW_SIZE);
let rawCount = 0;

function sameChars(text: string, start: number, raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    if (text.charCodeAt(start + i) !== raw.charCodeAt(i)) return false;
  }
  return true;
}

// A direct-mapped cache in front: Zipf's law puts most words of any text among the few
// thousand commonest. It is checked on two independent 32-bit hashes and the length, without
// reading the stored string: the point is to touch nothing but these arrays on a hit. (Two
// different words agreeing on 64 bits of hash and their length: odds about 1 in 10^19 per pair.)
const HOT_SIZE = 1 << 15;
const HOT_MASK = HOT_SIZE - 1;
// hash, check, length and a spare per slot, side by side: a lookup reads one cache line.
const hotKeys = new Int32Array(HOT_SIZE * 4);
const hotWords: (Word | undefined)[] = new Array(HOT_SIZE);

function wordAt(text: string, start: number, end: number, hash: number, check: number): Word {
  const len = end - start;
  const hot = (hash ^ (hash >>> 15)) & HOT_MASK;
  const k = hot << 2;
  if (hotKeys[k] === hash && hotKeys[k + 1] === check && hotKeys[k + 2] === len) {
    const w = hotWords[hot];
    if (w !== undefined) return w;
  }
  const word = coldWordAt(text, start, end, hash);
  hotKeys[k] = hash;
  hotKeys[k + 1] = check;
  hotKeys[k + 2] = len;
  hotWords[hot] = word;
  return word;
}

function clearRawTable(): void {
  rawKeys = new Array(RAW_SIZE);
  rawWords = new Array(RAW_SIZE);
  rawCount = 0;
}

/**
 * Forgets every word except those compiled rules refer to (pinned), so memory stays bounded in
 * a daemon that sees endless new words. Everything that could hand out a forgotten Word goes
 * too, so each word keeps exactly one live object and presence marks stay trustworthy.
 */
export function resetWordCaches(): void {
  byStem = pinnedOnly(byStem);
  const kept = pinnedOnly(byTerm);
  byTerm = kept;
  for (const w of kept.values()) w.stemMark = stemMarkOf(w.stem);
  clearRawTable();
  hotKeys.fill(0);
  hotWords.fill(undefined);
}

function coldWordAt(text: string, start: number, end: number, hash: number): Word {
  const len = end - start;
  let slot = hash & RAW_MASK;
  for (;;) {
    const key = rawKeys[slot];
    if (key === undefined) break;
    if (rawHashes[slot] === hash && key.length === len && sameChars(text, start, key)) {
      return rawWords[slot] as Word;
    }
    slot = (slot + 1) & RAW_MASK;
  }
  const raw = text.slice(start, end);
  const word = wordForTerm(foldWord(raw));
  // Half full: start over rather than let probes grow long (needs 130k distinct forms).
  if (rawCount >= RAW_SIZE >> 1) clearRawTable();
  // wordForTerm may have cleared the table: probe again for a free slot.
  slot = hash & RAW_MASK;
  while (rawKeys[slot] !== undefined) slot = (slot + 1) & RAW_MASK;
  rawHashes[slot] = hash;
  rawKeys[slot] = raw;
  rawWords[slot] = word;
  rawCount++;
  return word;
}

// 1 for ASCII letters and digits: the common case is decided without a regex.
const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  ASCII_WORD[c] = /[A-Za-z0-9]/.test(ch) ? 1 : 0;
}
const nonAsciiWordChar = new Map<number, boolean>();

function isWordChar(cp: number): boolean {
  if (cp < 128) return ASCII_WORD[cp] === 1;
  let yes = nonAsciiWordChar.get(cp);
  if (yes === undefined) {
    yes = WORD_CHAR.test(String.fromCodePoint(cp));
    nonAsciiWordChar.set(cp, yes);
  }
  return yes;
}

/** The words of a text as parallel arrays: no object per token on the hot path. */
export interface Scanned {
  words: Word[];
  starts: number[];
  ends: number[];
}

/** Splits text into words with offsets; shared by queries and items so both always agree. */
export function scan(text: string): Scanned {
  const words: Word[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    let cp = text.charCodeAt(i);
    let width = 1;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
      cp = text.codePointAt(i) as number;
      width = cp > 0xffff ? 2 : 1;
    }
    if (!isWordChar(cp)) {
      i += width;
      continue;
    }
    const start = i;
    // FNV-1a over code units, computed as we go so a known word needs no substring.
    let hash = Math.imul(0x811c9dc5 ^ text.charCodeAt(i), 0x01000193);
    let check = Math.imul(0x9747b28c ^ text.charCodeAt(i), 0x5bd1e995);
    if (width === 2) {
      hash = Math.imul(hash ^ text.charCodeAt(i + 1), 0x01000193);
      check = Math.imul(check ^ text.charCodeAt(i + 1), 0x5bd1e995) ^ (check >>> 13);
    }
    i += width;
    while (i < n) {
      cp = text.charCodeAt(i);
      width = 1;
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
        cp = text.codePointAt(i) as number;
        width = cp > 0xffff ? 2 : 1;
      }
      if (!isWordChar(cp)) break;
      hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
      check = Math.imul(check ^ text.charCodeAt(i), 0x5bd1e995) ^ (check >>> 13);
      if (width === 2) {
        hash = Math.imul(hash ^ text.charCodeAt(i + 1), 0x01000193);
        check = Math.imul(check ^ text.charCodeAt(i + 1), 0x5bd1e995) ^ (check >>> 13);
      }
      i += width;
    }
    const w = wordAt(text, start, i, hash, check);
    // A run of marks alone (or a compatibility form with no letters left) is not a word.
    if (w.term === "") continue;
    words.push(w);
    starts.push(start);
    ends.push(i);
  }
  return { words, starts, ends };
}

/** Splits text into folded, stemmed tokens with offsets; the analyzer for queries and items. */
export function analyze(text: string, opts?: { stemming?: boolean }): Token[] {
  const stemming = opts?.stemming ?? true;
  const { words, starts, ends } = scan(text);
  return words.map((w, position) => ({
    term: w.term,
    stem: stemming ? w.stem : w.term,
    start: starts[position] as number,
    end: ends[position] as number,
    position,
  }));
}
