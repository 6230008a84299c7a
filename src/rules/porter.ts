/**
 * English Porter stemmer, written to give the same stems as SQLite FTS5's `porter` tokenizer.
 *
 * Why not the `stemmer` package: it follows the reference Porter algorithm, while FTS5 has its
 * own small variations (how "-ies" is cut, which step-4 suffix is tried first, `y` treated as a
 * vowel anywhere but the first letter, ...). The issue requires agreement with FTS5, so this
 * file reproduces FTS5's rules; the differential test in test/property checks them.
 *
 * FTS5 works on UTF-8 bytes: a non-ASCII letter counts as one consonant per byte and the
 * length limits (3..64) are in bytes. We reproduce that by running the rules over "units":
 * ASCII letters as themselves and every byte of a non-ASCII code point as a placeholder.
 */

const MIN_BYTES = 3;
const MAX_BYTES = 64;
/** Placeholder unit for one byte of a non-ASCII character: never a vowel nor a suffix letter. */
const OTHER = 0;

const A = 97;
const E = 101;
const I = 105;
const O = 111;
const U = 117;
const Y = 121;

const isVowel = (c: number, yIsVowel: boolean): boolean =>
  c === A || c === E || c === I || c === O || c === U || (yIsVowel && c === Y);

/** Index just past the first vowel-consonant sequence of u[from..to), or 0 when there is none. */
function gobbleVC(u: number[], from: number, to: number, prevCons: boolean): number {
  let cons = prevCons;
  let i = from;
  for (; i < to; i++) {
    cons = !isVowel(u[i] as number, cons);
    if (!cons) break;
  }
  for (i++; i < to; i++) {
    cons = !isVowel(u[i] as number, cons);
    if (cons) return i + 1;
  }
  return 0;
}

const mGt0 = (u: number[], n: number): boolean => gobbleVC(u, 0, n, false) !== 0;

function mGt1(u: number[], n: number): boolean {
  const k = gobbleVC(u, 0, n, false);
  return k !== 0 && gobbleVC(u, k, n, true) !== 0;
}

function mEq1(u: number[], n: number): boolean {
  const k = gobbleVC(u, 0, n, false);
  return k !== 0 && gobbleVC(u, k, n, true) === 0;
}

/** *o: the stem ends consonant-vowel-consonant and the last letter is not w, x or y. */
function endsCVC(u: number[], n: number): boolean {
  const last = u[n - 1];
  if (last === 119 || last === 120 || last === Y) return false;
  let mask = 0;
  let cons = false;
  for (let i = 0; i < n; i++) {
    cons = !isVowel(u[i] as number, cons);
    mask = (mask << 1) | (cons ? 1 : 0);
  }
  return (mask & 7) === 5;
}

function hasVowel(u: number[], n: number): boolean {
  for (let i = 0; i < n; i++) if (isVowel(u[i] as number, i > 0)) return true;
  return false;
}

function endsWith(u: number[], n: number, suffix: string): boolean {
  const k = suffix.length;
  // FTS5 only strips a suffix when something is left before it.
  if (n <= k) return false;
  for (let i = 0; i < k; i++) if (u[n - k + i] !== suffix.charCodeAt(i)) return false;
  return true;
}

type Cond = (u: number[], n: number) => boolean;
/** [suffix, replacement, condition on the stem]; the first suffix that fits decides. */
type Rule = readonly [string, string, Cond];

const mGt1ST: Cond = (u, n) => (u[n - 1] === 115 || u[n - 1] === 116) && mGt1(u, n);

// Grouped by the second-to-last letter as FTS5 does: only rules in that group are tried, in order.
const STEP2: Record<string, Rule[]> = {
  a: [
    ["ational", "ate", mGt0],
    ["tional", "tion", mGt0],
  ],
  c: [
    ["enci", "ence", mGt0],
    ["anci", "ance", mGt0],
  ],
  e: [["izer", "ize", mGt0]],
  g: [["logi", "log", mGt0]],
  l: [
    ["bli", "ble", mGt0],
    ["alli", "al", mGt0],
    ["entli", "ent", mGt0],
    ["eli", "e", mGt0],
    ["ousli", "ous", mGt0],
  ],
  o: [
    ["ization", "ize", mGt0],
    ["ation", "ate", mGt0],
    ["ator", "ate", mGt0],
  ],
  s: [
    ["alism", "al", mGt0],
    ["iveness", "ive", mGt0],
    ["fulness", "ful", mGt0],
    ["ousness", "ous", mGt0],
  ],
  t: [
    ["aliti", "al", mGt0],
    ["iviti", "ive", mGt0],
    ["biliti", "ble", mGt0],
  ],
};

const STEP3: Record<string, Rule[]> = {
  a: [["ical", "ic", mGt0]],
  s: [["ness", "", mGt0]],
  t: [
    ["icate", "ic", mGt0],
    ["iciti", "ic", mGt0],
  ],
  u: [["ful", "", mGt0]],
  v: [["ative", "", mGt0]],
  z: [["alize", "al", mGt0]],
};

const STEP4: Record<string, Rule[]> = {
  a: [["al", "", mGt1]],
  c: [
    ["ance", "", mGt1],
    ["ence", "", mGt1],
  ],
  e: [["er", "", mGt1]],
  i: [["ic", "", mGt1]],
  l: [
    ["able", "", mGt1],
    ["ible", "", mGt1],
  ],
  n: [
    ["ant", "", mGt1],
    ["ement", "", mGt1],
    ["ment", "", mGt1],
    ["ent", "", mGt1],
  ],
  o: [
    ["ion", "", mGt1ST],
    ["ou", "", mGt1],
  ],
  s: [["ism", "", mGt1]],
  t: [
    ["ate", "", mGt1],
    ["iti", "", mGt1],
  ],
  u: [["ous", "", mGt1]],
  v: [["ive", "", mGt1]],
  z: [["ize", "", mGt1]],
};

/** Applies the first matching rule of the group; returns the new length (unchanged if none). */
function applyRules(u: number[], n: number, table: Record<string, Rule[]>): number {
  const group = table[String.fromCharCode(u[n - 2] ?? OTHER)];
  if (!group) return n;
  for (const [suffix, out, cond] of group) {
    if (!endsWith(u, n, suffix)) continue;
    const stem = n - suffix.length;
    if (!cond(u, stem)) return n;
    for (let i = 0; i < out.length; i++) u[stem + i] = out.charCodeAt(i);
    return stem + out.length;
  }
  return n;
}

function step1a(u: number[], n: number): number {
  if (u[n - 1] !== 115) return n;
  if (u[n - 2] === E) {
    const sses = n > 4 && u[n - 4] === 115 && u[n - 3] === 115;
    const ies = n > 3 && u[n - 3] === I;
    return sses || ies ? n - 2 : n - 1;
  }
  return u[n - 2] === 115 ? n : n - 1;
}

/** Returns [new length, whether -ed/-ing was removed]. */
function step1b(u: number[], n: number): [number, boolean] {
  if (u[n - 2] === E) {
    if (endsWith(u, n, "eed")) {
      if (mGt0(u, n - 3)) return [n - 1, false];
      return [n, false];
    }
    if (endsWith(u, n, "ed") && hasVowel(u, n - 2)) return [n - 2, true];
  } else if (u[n - 2] === 110 && endsWith(u, n, "ing") && hasVowel(u, n - 3)) {
    return [n - 3, true];
  }
  return [n, false];
}

function step1bAfter(u: number[], n: number): number {
  for (const s of ["at", "bl", "iz"]) {
    if (u[n - 2] === s.charCodeAt(0) && endsWith(u, n, s)) {
      u[n] = E;
      return n + 1;
    }
  }
  const c = u[n - 1] as number;
  if (!isVowel(c, false) && c !== 108 && c !== 115 && c !== 122 && c === u[n - 2]) return n - 1;
  if (mEq1(u, n) && endsCVC(u, n)) {
    u[n] = E;
    return n + 1;
  }
  return n;
}

function stemUnits(u: number[]): number {
  let n = u.length;
  n = step1a(u, n);
  const [n1, removed] = step1b(u, n);
  n = removed ? step1bAfter(u, n1) : n1;
  if (u[n - 1] === Y && hasVowel(u, n - 1)) u[n - 1] = I;
  n = applyRules(u, n, STEP2);
  n = applyRules(u, n, STEP3);
  n = applyRules(u, n, STEP4);
  if (u[n - 1] === E && (mGt1(u, n - 1) || (mEq1(u, n - 1) && !endsCVC(u, n - 1)))) n--;
  if (n > 1 && u[n - 1] === 108 && u[n - 2] === 108 && mGt1(u, n - 1)) n--;
  return n;
}

const utf8Length = (cp: number): number => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);

/** Stems one already folded (lower-case, accent-free) word. */
export function porterStem(word: string): string {
  const units: number[] = [];
  const chars: string[] = [];
  let ascii = true;
  for (const ch of word) {
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x80) {
      units.push(cp);
    } else {
      ascii = false;
      for (let b = utf8Length(cp); b > 0; b--) units.push(OTHER);
    }
    chars.push(ch);
  }
  if (units.length < MIN_BYTES || units.length > MAX_BYTES) return word;
  const n = stemUnits(units);
  if (ascii) return String.fromCharCode(...units.slice(0, n));
  // Map the units back: placeholders stand for the original characters, in order.
  let out = "";
  let ci = 0;
  for (let i = 0; i < n; ) {
    const unit = units[i] as number;
    if (unit === OTHER) {
      const ch = chars[ci] as string;
      out += ch;
      i += utf8Length(ch.codePointAt(0) as number);
    } else {
      out += String.fromCharCode(unit);
      i++;
    }
    ci++;
  }
  return out;
}
