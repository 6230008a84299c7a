/**
 * Arabic text analysis: the normalisation and the light stemmer "Light10" of Larkey,
 * Ballesteros and Connell ("Light Stemming for Arabic Information Retrieval", 2007; the
 * stemmer behind Lucene's ArabicStemFilter). A light stemmer strips the few prefixes and
 * suffixes that carry no meaning of their own to a searcher (the article, "and", the dual and
 * plural endings, the attached pronouns) and leaves broken plurals alone (صاروخ, صواريخ):
 * it conflates far less than a root extractor, which in a news index makes كتاب (book), كاتب
 * (writer) and مكتب (office) one word. Larkey et al. measured Light10 above the root-based
 * stemmers for retrieval on the TREC Arabic collections.
 */

// Arabic letters, digits and marks, after NFKC (presentation forms are plain letters by then).
const ARABIC = /[\u0600-\u06ff\u0750-\u077f\u0870-\u08ff]/;
const ARABIC_LETTER = /[\u0620-\u064a\u066e-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff\u0750-\u077f]/;

// Optional in writing, never tells two words apart: harakat (fatha, damma, kasra, shadda,
// sukun, tanwin), superscript alef, Quranic annotation marks; and tatweel, a stretching of
// the line between letters (جـيـش is جيش).
const OPTIONAL =
  /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed\u08d3-\u08ff\u0640]/g;

/**
 * Letters written one way or another for the same word: the hamza forms of alef and the alef
 * wasla are read as bare alef (أربيل, اربيل), ta marbuta as ha (قاعدة, قاعده) and alef maqsura
 * as ya (مصطفى, مصطفي), as in Light10; the Persian and Kurdish forms of ya and kaf, which
 * Persian keyboards type and Sorani (Kurdistan Region) writes, as the Arabic ones; and the
 * Arabic-Indic digits as ASCII digits, so `2024` finds `٢٠٢٤`.
 */
const SAME_LETTER: Record<string, string> = {
  "\u0622": "\u0627", // آ alef with madda
  "\u0623": "\u0627", // أ alef with hamza above
  "\u0625": "\u0627", // إ alef with hamza below
  "\u0671": "\u0627", // ٱ alef wasla
  "\u0629": "\u0647", // ة ta marbuta → ه
  "\u0649": "\u064a", // ى alef maqsura → ي
  "\u06cc": "\u064a", // ی Farsi yeh → ي
  "\u06a9": "\u0643", // ک keheh → ك
};
for (let d = 0; d < 10; d++) {
  SAME_LETTER[String.fromCharCode(0x0660 + d)] = String(d);
  SAME_LETTER[String.fromCharCode(0x06f0 + d)] = String(d);
}
const VARIANT = new RegExp(`[${Object.keys(SAME_LETTER).join("")}]`, "g");

/** True when the (folded) word holds Arabic-script characters: then it is read as Arabic. */
export const hasArabic = (word: string): boolean => ARABIC.test(word);

/** True when the word has an Arabic letter: it is stemmed with Light10, not Porter. */
export const hasArabicLetter = (word: string): boolean => ARABIC_LETTER.test(word);

/** Removes marks and tatweel and writes each variable letter one way (see SAME_LETTER). */
export function normalizeArabic(word: string): string {
  return word.replace(OPTIONAL, "").replace(VARIANT, (c) => SAME_LETTER[c] as string);
}

// Light10's definite articles, longest first so that بال is not read as ب + ال.
const ARTICLES = ["وال", "بال", "كال", "فال", "ال", "لل"];
// Its suffixes, tried once each in this order: a word can lose several (عراقيين → عراقي → عراق).
// ة and ية are never found after normalisation (it writes them ه, يه); kept for the record.
const SUFFIXES = ["ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي"];
const AND = "و";

/**
 * Light10 on a normalised word. The guards are the paper's: و ("and") goes only when at least
 * 3 letters stay, stricter than for the articles because many words begin with it (وطن stays
 * وطن); an article only when at least 2 letters stay; each suffix only when at least 2 stay.
 */
export function light10(word: string): string {
  let w = word;
  if (w.startsWith(AND) && w.length - 1 >= 3) w = w.slice(1);
  for (const a of ARTICLES) {
    if (w.startsWith(a) && w.length - a.length >= 2) {
      w = w.slice(a.length);
      break;
    }
  }
  for (const s of SUFFIXES) {
    if (w.endsWith(s) && w.length - s.length >= 2) w = w.slice(0, -s.length);
  }
  return w;
}
