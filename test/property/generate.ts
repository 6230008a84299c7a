/**
 * Seeded random documents and queries for the differential tests. The vocabulary is small so
 * that matches are frequent, and full of inflections and accents, in Latin and other scripts,
 * so that stemming and folding are exercised on every run.
 */

/** mulberry32: tiny, fast, and the same sequence on every machine for a given seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const VOCABULARY = [
  "rocket",
  "rockets",
  "rocketry",
  "base",
  "bases",
  "based",
  "basra",
  "attack",
  "attacked",
  "attacking",
  "attacks",
  "drone",
  "drones",
  "green",
  "zone",
  "zones",
  "baghdad",
  "taji",
  "café",
  "cafe",
  "cafés",
  "naïve",
  "naive",
  "zürich",
  "zurich",
  "résumé",
  "resume",
  "fire",
  "fired",
  "firing",
  "city",
  "cities",
  "run",
  "running",
  "runs",
  "happy",
  "happiness",
  "relational",
  "relate",
  "related",
  "airport",
  "airports",
  "convoy",
  "strike",
  "struck",
  "strikes",
  "élite",
  "elite",
  "crêpe",
  "señor",
  "senor",
  "generalization",
  "general",
  "hopping",
  "hope",
  "hop",
  // Other scripts: FTS5 removes diacritics from Latin letters only, so й, ё and Greek accents
  // are letters here (мой and мои differ), while a stress accent that forms no letter
  // (молоко́, written decomposed) is dropped. Greek Σ folds to σ, final ς too.
  "мой",
  "мои",
  "Йемен",
  "иемен",
  "Київ",
  "киів",
  "ёлка",
  "елка",
  "молоко\u0301",
  "молоко",
  "ракета",
  "ракеты",
  "Αθήνα",
  "Αθηνα",
  "Αθήνας",
  "ΑΘΗΝΑΣ",
  "πύραυλος",
  "πυραυλος",
  "ϊ",
  // Arabic as FTS5 shares it with us: words that our normalisation and Light10 stemming map to
  // distinct forms, so both sides tell them apart alike (قاعدة is read قاعده and stemmed قاعد,
  // التاجي stemmed تاج, with no other word of the list landing there). Spellings that our
  // Arabic analysis joins and FTS5 keeps apart (إسرائيل/اسرائيل, صاروخ/صاروخان) are checked in
  // arabic-variants.test.ts instead; see docs/query-language.md.
  "بغداد",
  "صاروخ",
  "صواريخ",
  "الرياض",
  "اسرائيل",
  "قاعدة",
  "التاجي",
];

export type Rng = () => number;

export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
export const int = (rng: Rng, lo: number, hi: number): number =>
  lo + Math.floor(rng() * (hi - lo + 1));

function casing(rng: Rng, w: string): string {
  const r = rng();
  if (r < 0.15) return w.toUpperCase();
  if (r < 0.35) return w.charAt(0).toUpperCase() + w.slice(1);
  return w;
}

export function sentence(rng: Rng, lo: number, hi: number): string {
  const words: string[] = [];
  const n = int(rng, lo, hi);
  for (let i = 0; i < n; i++) {
    let w = casing(rng, pick(rng, VOCABULARY));
    const r = rng();
    if (r < 0.08) w += ",";
    else if (r < 0.12) w += ".";
    else if (r < 0.14) w = `(${w})`;
    words.push(w);
  }
  return words.join(rng() < 0.1 ? "  " : " ");
}

export interface GenDoc {
  title: string;
  content: string;
}

export function randomDocs(rng: Rng, count: number): GenDoc[] {
  return Array.from({ length: count }, () => ({
    title: sentence(rng, 2, 8),
    content: sentence(rng, 5, 30),
  }));
}

export interface QueryShape {
  /** Allow `word*` terms. */
  prefixes: boolean;
  /** Allow title:/content: scopes. */
  fields: boolean;
  /** The words to draw from (default VOCABULARY). */
  vocabulary?: readonly string[];
}

function leaf(rng: Rng, shape: QueryShape, inNear = false): string {
  const vocabulary = shape.vocabulary ?? VOCABULARY;
  const word = (r: Rng) => casing(r, pick(r, vocabulary));
  const r = rng();
  if (shape.prefixes && r < 0.25) {
    const w = pick(rng, vocabulary);
    return `${w.slice(0, int(rng, 1, Math.min(5, w.length)))}*`;
  }
  if (r < 0.45) return `"${word(rng)} ${word(rng)}"`;
  if (r < 0.5 && !inNear) return `"${word(rng)} ${word(rng)} ${word(rng)}"`;
  return word(rng);
}

function scope(rng: Rng, shape: QueryShape, q: string): string {
  if (!shape.fields || rng() > 0.25) return q;
  return `${rng() < 0.5 ? "title" : "content"}:${q}`;
}

/** A random query that is valid and positive (never matches by absence alone). */
export function randomQuery(rng: Rng, shape: QueryShape, depth = 0): string {
  const r = rng();
  if (depth >= 3 || r < 0.3) return scope(rng, shape, leaf(rng, shape));
  if (r < 0.4) {
    const members = Array.from({ length: int(rng, 2, 3) }, () => leaf(rng, shape, true));
    const near =
      rng() < 0.3 ? `NEAR(${members.join(" ")})` : `NEAR(${members.join(" ")}, ${int(rng, 0, 6)})`;
    return scope(rng, shape, near);
  }
  const n = int(rng, 2, 3);
  const kids = Array.from({ length: n }, () => randomQuery(rng, shape, depth + 1));
  if (r < 0.7) {
    const and = rng() < 0.5 ? kids.join(" AND ") : kids.map((k) => `(${k})`).join(" ");
    const neg = rng() < 0.4 ? ` NOT (${randomQuery(rng, shape, depth + 1)})` : "";
    return `(${and}${neg})`;
  }
  return `(${kids.join(" OR ")})`;
}
