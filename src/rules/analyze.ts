import { hasArabic, hasArabicLetter, light10, normalizeArabic } from "./arabic.ts";
import { type Mark, newMarkId, releaseMarkIds, setStemOf } from "./marks.ts";
import { porterStem } from "./porter.ts";

export type { Mark } from "./marks.ts";

/** One word of a text, with its offsets into the original string. */
export interface Token {
  /**
   * The word folded: NFKC, lower case, Latin diacritics removed, Arabic normalised. Prefix
   * terms match this.
   */
  term: string;
  /** Stem of `term`: Porter, or Light10 for an Arabic word (`term` when stemming is off). */
  stem: string;
  /** UTF-16 offsets into the analysed string: `text.slice(start, end)` is the word as written. */
  start: number;
  end: number;
  /** Index of the token in its field: phrases and NEAR count these. */
  position: number;
}

/**
 * A distinct folded word, shared by every occurrence of it anywhere. Its mark id doubles as the
 * word's number: the hot path (scanning, marking, index lookups) handles ids in typed arrays
 * and only evaluation turns an id back into this object (`wordById`).
 */
export interface Word extends Mark {
  term: string;
  stem: string;
  /** Shared by all words with this stem (rockets, rocket): marked when any of them is present. */
  stemMark: StemMark;
}

export interface StemMark extends Mark {
  stem: string;
}

const MARKS = /\p{M}/gu;
const MARK = /\p{M}/u;
const LATIN = /\p{Script=Latin}/u;
// Marks that never tell two words apart: the generic combining accents (Script=Inherited, which
// also holds Arabic's optional vowel signs) and Hebrew's optional points and cantillation.
const OPTIONAL_MARK = /[\p{Script=Inherited}\u0591-\u05c7]/u;
const NOT_WORD_CHAR = /[^\p{L}\p{N}\p{Co}\p{M}]/gu;
// Letters and digits make words, like FTS5's unicode61 (categories L*, N*, Co). Combining
// marks (Mn, Mc) stay attached: a decomposed "é" is one word that then loses its accent, and
// an Indic vowel sign does not split its word (FTS5 splits there; see docs/query-language.md).
const WORD_CHAR = /[\p{L}\p{N}\p{Mn}\p{Mc}\p{Co}]/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range is meant
const NON_ASCII = /[^\x00-\x7f]/;

// toLowerCase writes Σ at a word's end as final ς; case folding (and FTS5) has one σ, so that
// ΑΘΗΝΑΣ in a headline and Αθήνας in the text fold alike.
const lowerCase = (s: string): string => s.toLowerCase().replaceAll("ς", "σ");

/**
 * Removes diacritics the way FTS5's remove_diacritics 2 does: from Latin letters only. Cyrillic
 * й and ё and Greek ά are letters of their own (мой and мои are different words), so letters of
 * other scripts keep theirs. The text is composed (NFKC) first, so a decomposed й is still й; a
 * mark left over that forms no letter (the stress accent in молоко́, Arabic vowel signs) is
 * dropped when it is optional in writing, and kept as part of the word otherwise.
 */
function foldMarks(composed: string): string {
  let out = "";
  // Marks before any letter belong to nothing and go.
  let base: "none" | "latin" | "other" = "none";
  for (const ch of composed) {
    if (MARK.test(ch)) {
      if (base === "other" && !OPTIONAL_MARK.test(ch)) out += ch;
    } else if (LATIN.test(ch)) {
      base = "latin";
      out += ch.normalize("NFD").replace(MARKS, "");
    } else {
      base = "other";
      out += ch;
    }
  }
  return out;
}

/**
 * Folds a word the way FTS5 unicode61 with remove_diacritics 2 does, plus NFKC: compatibility
 * forms (ligatures, full-width letters) become plain letters, case is folded, Latin letters
 * lose their accents. A word in Arabic script is also normalised (see arabic.ts): the choice
 * is made per word by its letters, never by guessing the language of the text.
 */
export function foldWord(word: string): string {
  if (!NON_ASCII.test(word)) return word.toLowerCase();
  const folded = foldMarks(lowerCase(word.normalize("NFKC"))).replace(NOT_WORD_CHAR, "");
  return hasArabic(folded) ? normalizeArabic(folded) : folded;
}

/** The stem of a folded word: Light10 for a word with Arabic letters, else Porter. */
export const stemOf = (term: string): string =>
  NON_ASCII.test(term) && hasArabicLetter(term) ? light10(term) : porterStem(term);

/** Folds a whole value kept as one unit (a feed id): same folding, punctuation kept. */
export function foldValue(value: string): string {
  return foldMarks(lowerCase(value.normalize("NFKC"))).trim();
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

/** Word ids -> Word, for the code that holds ids (the hot path) and now and then needs text. */
const words: (Word | undefined)[] = [];

function register(w: Word): void {
  words[w.id] = w;
  setStemOf(w.id, w.stemMark.id);
}

/** The Word with this id (ids come from scanning, so the word is live). */
export function wordById(id: number): Word {
  return words[id] as Word;
}

/** The shared Word for a folded word. */
export function wordForTerm(term: string): Word {
  let w = byTerm.get(term);
  if (w === undefined) {
    if (byTerm.size >= CACHE_LIMIT) resetWordCaches();
    const stem = stemOf(term);
    w = { term, stem, stemMark: stemMarkOf(stem), id: newMarkId(), pinned: false };
    byTerm.set(term, w);
    register(w);
  }
  return w;
}

/**
 * Words as written -> word id, in one open-addressing table keyed by two independent 32-bit
 * hashes and the length, all computed while scanning: a word seen before costs no substring,
 * no string hashing, no string comparison and one cache line (hash, check, length, id side by
 * side). This is the hot path of matching (every word of every item); with a news-sized
 * vocabulary it is bound by memory latency, so touching one line per word is what makes it
 * fast. (An earlier version kept a small direct-mapped table in front of a string-checked one;
 * the tail of the vocabulary kept evicting itself from the small one and paid ~4 misses a word.)
 * Two different forms agreeing on 64 bits of hash and their length: odds about 1 in 10^19 per
 * pair, about 1 in 10^9 for a full table; the string is not re-checked.
 */
const FORM_BITS = 18;
const FORM_SLOTS = 1 << FORM_BITS;
const FORM_MASK = FORM_SLOTS - 1;
/** Per slot: hash, check, length (0: empty slot) and the word's id (-1: folds to no word). */
const forms = new Int32Array(FORM_SLOTS * 4);
let formCount = 0;

/** The id of the word text[start, end), or -1 when it folds to nothing (marks alone). */
function wordIdAt(text: string, start: number, end: number, hash: number, check: number): number {
  const len = end - start;
  let slot = (hash ^ (hash >>> 15)) & FORM_MASK;
  for (;;) {
    const k = slot << 2;
    const l = forms[k + 2] as number;
    if (l === 0) break;
    if (forms[k] === hash && forms[k + 1] === check && l === len) return forms[k + 3] as number;
    slot = (slot + 1) & FORM_MASK;
  }
  const word = wordForTerm(foldWord(text.slice(start, end)));
  const id = word.term === "" ? -1 : word.id;
  // Half full: start over rather than let probes grow long (needs 130k distinct forms).
  if (formCount >= FORM_SLOTS >> 1) clearForms();
  // wordForTerm may have cleared the table: probe again for a free slot.
  slot = (hash ^ (hash >>> 15)) & FORM_MASK;
  while (forms[(slot << 2) + 2] !== 0) slot = (slot + 1) & FORM_MASK;
  const k = slot << 2;
  forms[k] = hash;
  forms[k + 1] = check;
  forms[k + 2] = len;
  forms[k + 3] = id;
  formCount++;
  return id;
}

function clearForms(): void {
  forms.fill(0);
  formCount = 0;
}

let wordTableResets = 0;

/**
 * Counts the resets below. A word id stays the same word until the next one (the ids of dropped
 * words are then reused), so ids kept across items are valid while this number holds.
 */
export function wordTableGeneration(): number {
  return wordTableResets;
}

/**
 * Forgets every word except those compiled rules refer to (pinned), so memory stays bounded in
 * a daemon that sees endless new words. Everything that could hand out a forgotten Word goes
 * too, so each word keeps exactly one live object and presence marks stay trustworthy.
 */
export function resetWordCaches(): void {
  wordTableResets++;
  byStem = pinnedOnly(byStem);
  const kept = pinnedOnly(byTerm);
  byTerm = kept;
  // `words` keeps the dropped ones: ids already handed out for the item being analysed stay
  // readable until their ids are reused, which marks.ts defers to the next item.
  for (const w of kept.values()) {
    w.stemMark = stemMarkOf(w.stem);
    register(w);
  }
  clearForms();
}

// 1 for ASCII letters and digits: the common case is decided without a regex.
const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  ASCII_WORD[c] = /[A-Za-z0-9]/.test(ch) ? 1 : 0;
}
// The rest of the Basic Multilingual Plane, filled in as met (0 not yet known, 1 word, 2 not):
// Arabic, Cyrillic or Greek text asks on every letter, and a 64 KB table answers in one load
// where a Map cost a hash lookup each (Arabic items were analysed at 40% of Latin speed).
const BMP_WORD = new Uint8Array(0x10000);
const astralWordChar = new Map<number, boolean>();

function isWordChar(cp: number): boolean {
  if (cp < 128) return ASCII_WORD[cp] === 1;
  if (cp < 0x10000) {
    let known = BMP_WORD[cp] as number;
    if (known === 0) {
      known = WORD_CHAR.test(String.fromCharCode(cp)) ? 1 : 2;
      BMP_WORD[cp] = known;
    }
    return known === 1;
  }
  let yes = astralWordChar.get(cp);
  if (yes === undefined) {
    yes = WORD_CHAR.test(String.fromCodePoint(cp));
    astralWordChar.set(cp, yes);
  }
  return yes;
}

/** The words of a text as parallel arrays. */
export interface Scanned {
  words: Word[];
  starts: number[];
  ends: number[];
}

/** The most words a text can hold: words are separated by at least one other character. */
export const maxWords = (text: string): number => (text.length + 1) >> 1;

/**
 * Splits text into words, writing at `out[at + 3i]` the id of word i (see wordById) and after
 * it its UTF-16 start and end offsets; returns the word count. `out` must have room for
 * `3 * maxWords(text)` ints from `at`. The one tokenizer behind queries and items.
 */
export function scanInto(text: string, out: Int32Array, at: number): number {
  const n = text.length;
  let w = at;
  let i = 0;
  while (i < n) {
    let cp = text.charCodeAt(i);
    let width = 1;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
      cp = text.codePointAt(i) as number;
      width = cp > 0xffff ? 2 : 1;
    }
    if (cp < 128 ? ASCII_WORD[cp] === 0 : !isWordChar(cp)) {
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
      if (cp < 128) {
        // The common case: an ASCII letter or digit continues the word, anything else ends it.
        if (ASCII_WORD[cp] === 0) break;
        hash = Math.imul(hash ^ cp, 0x01000193);
        check = Math.imul(check ^ cp, 0x5bd1e995) ^ (check >>> 13);
        i++;
        continue;
      }
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
    const id = wordIdAt(text, start, i, hash, check);
    // A run of marks alone (or a compatibility form with no letters left) is not a word.
    if (id < 0) continue;
    out[w] = id;
    out[w + 1] = start;
    out[w + 2] = i;
    w += 3;
  }
  return (w - at) / 3;
}

/** Scratch for scan(), grown as texts demand. */
let scratch = new Int32Array(3 * 1024);

/** Splits text into words with offsets, as objects: for queries and tools, not the hot path. */
export function scan(text: string): Scanned {
  if (3 * maxWords(text) > scratch.length) scratch = new Int32Array(3 * maxWords(text));
  const out = scratch;
  const count = scanInto(text, out, 0);
  const result: Scanned = { words: [], starts: [], ends: [] };
  for (let k = 0; k < count; k++) {
    result.words.push(wordById(out[3 * k] as number));
    result.starts.push(out[3 * k + 1] as number);
    result.ends.push(out[3 * k + 2] as number);
  }
  return result;
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
