import { normalizeArabic } from "../rules/arabic.ts";
import { porterStem } from "../rules/porter.ts";

/** One word of a report, folded for comparison, with how it was written. */
export interface ReportToken {
  /** Folded: lower case, Latin accents off, Arabic letter variants unified, light stem. */
  key: string;
  /** As written (for capitalisation: English place names are the capitalised words). */
  raw: string;
  /** First word of a sentence: its capital letter says nothing about it being a name. */
  sentenceStart: boolean;
}

const ARABIC = /[\u0600-\u06ff]/u;
const ARABIC_DIGITS = /[\u0660-\u0669\u06f0-\u06f9]/gu;

/**
 * Arabic letters written interchangeably in news copy, folded to one form: the rules'
 * normalisation (marks, tatweel, alef forms, ta marbuta, alef maqsura), and for comparing
 * reports also the hamza seats of waw and ya, which spellings of one name vary on.
 */
function foldArabic(word: string): string {
  return normalizeArabic(word).replace(/ؤ/gu, "و").replace(/ئ/gu, "ي");
}

// Clitics glued to the front of an Arabic word: "and", "with/in", "like", "so", "for" and the
// article. Longest first; a stem is kept only if at least three letters remain, so short words
// (بلد) are not eaten.
const ARABIC_PREFIXES = ["وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و", "ب", "ل", "ف"];
// Dual and feminine endings first (مسيرتين, صاروخان), then plurals and pronouns; a final ه
// (the folded ة) goes too, so مسيرة and مسيرتين meet at مسير.
const ARABIC_SUFFIXES = ["تين", "تان", "ات", "ون", "ين", "ان", "ها", "هم", "ه", "ي"];

/** A light stem (no root extraction): enough for صواريخ/الصواريخ/بالصواريخ to meet. */
export function arabicStem(word: string): string {
  let w = foldArabic(word);
  for (const p of ARABIC_PREFIXES) {
    if (w.startsWith(p) && w.length - p.length >= 3) {
      w = w.slice(p.length);
      break;
    }
  }
  for (const s of ARABIC_SUFFIXES) {
    if (w.endsWith(s) && w.length - s.length >= 3) {
      w = w.slice(0, -s.length);
      break;
    }
  }
  return w;
}

/** Folds one written word to its comparison key (Latin: Porter stem; Arabic: light stem). */
export function foldWord(raw: string): string {
  if (ARABIC.test(raw)) return arabicStem(raw);
  const latin = raw
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/['’]s$/u, "");
  return /^[a-z]+$/.test(latin) ? porterStem(latin) : latin;
}

/**
 * The words of a report, in order. Hyphens split (al-Asad is "al" "Asad", like the Arabic
 * الاسد after its article), digits of any script become ASCII, and a word after . ! ? or at
 * the start is marked as sentence-initial.
 */
export function tokenize(text: string): ReportToken[] {
  const out: ReportToken[] = [];
  const ascii = text.replace(ARABIC_DIGITS, (d) =>
    String((d.codePointAt(0) ?? 0) - ((d.codePointAt(0) ?? 0) >= 0x06f0 ? 0x06f0 : 0x0660)),
  );
  let sentenceStart = true;
  for (const m of ascii.matchAll(/[\p{L}\p{M}\p{N}]+|[.!?:؟]/gu)) {
    const raw = m[0];
    if (/^[.!?:؟]$/u.test(raw)) {
      sentenceStart = true;
      continue;
    }
    out.push({ key: foldWord(raw), raw, sentenceStart });
    sentenceStart = false;
  }
  return out;
}
