import { namedEntity } from "./html-entities.ts";
import { replaceSections } from "./scan.ts";

// Matched against a lower-cased copy, so the letters here are lower case.
const HIDDEN_OPENER =
  /<!--|<!\[cdata\[|<(script|style|noscript|template|iframe|object|svg|math)\b/g;
// Tags that end a line of text: without a space there, "<p>Baghdad</p><p>Taji</p>" would
// read as "BaghdadTaji" and neither word would match a watchlist.
const BLOCK =
  /<\/?(p|div|br|hr|li|ul|ol|dl|dt|dd|h[1-6]|blockquote|pre|table|tr|td|th|thead|tbody|section|article|header|footer|aside|figure|figcaption|img|address|nav)\b[^<>]*>/gi;
// Only text that looks like a tag is removed, so "x < y and y > z" survives.
const TAG = /<\/?[A-Za-z][^<>]*>|<![A-Za-z][^<>]*>|<\?[^<>]*>/g;

/**
 * Plain text of an HTML fragment: script, style and comments dropped, tags removed (block
 * tags leave a space), character references decoded once, whitespace collapsed.
 */
export function htmlToText(html: string): string {
  const stripped = dropHidden(html).replace(BLOCK, " ").replace(TAG, "");
  return collapse(decodeEntities(stripped));
}

/**
 * Comments and script-like elements vanish (unclosed ones take the rest of the text with
 * them, as in a browser); CDATA sections keep their text. One linear pass.
 */
export function dropHidden(html: string): string {
  const lower = html.toLowerCase();
  return replaceSections(
    html,
    new RegExp(HIDDEN_OPENER.source, "g"),
    (m) => (m[0] === "<!--" ? "-->" : m[0] === "<![cdata[" ? "]]>" : `</${m[1]}`),
    (section, m) => {
      if (m[0] === "<![cdata[") return section.slice(9, section.endsWith("]]>") ? -3 : undefined);
      return " ";
    },
    { unclosed: "to-end", haystack: lower },
  );
}

// C0 controls other than whitespace, and DEL: invalid in XML, invisible in a title.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f]/g;

/** Collapses every run of whitespace (including no-break and zero-width spaces) to one space. */
export function collapse(text: string): string {
  return text
    .replace(CONTROL, "")
    .replace(/[\s\u00a0\u200b\u2028\u2029\ufeff]+/g, " ")
    .trim();
}

const REFERENCE = /&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([A-Za-z][A-Za-z0-9]{1,31}));?/g;

/**
 * Decodes numeric and named character references. Numeric references to nothing (0, surrogates,
 * beyond U+10FFFF) become U+FFFD; the C1 range is read as windows-1252 as browsers do (&#150;
 * is an en dash). Unknown names stay as written.
 */
export function decodeEntities(text: string): string {
  return text.replace(REFERENCE, (whole, dec?: string, hex?: string, name?: string) => {
    if (name !== undefined) {
      if (!whole.endsWith(";"))
        return namedEntity(name) !== undefined && LEGACY.has(name)
          ? (namedEntity(name) ?? whole)
          : whole;
      return namedEntity(name) ?? whole;
    }
    const cp = dec !== undefined ? Number(dec) : Number.parseInt(hex ?? "", 16);
    return codePointText(cp);
  });
}

function codePointText(cp: number): string {
  if (cp >= 0x80 && cp <= 0x9f) return WINDOWS_1252_C1[cp - 0x80] ?? "\ufffd";
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return "\ufffd";
  return String.fromCodePoint(cp);
}

// prettier-ignore
const WINDOWS_1252_C1 = [
  "€",
  "\ufffd",
  "‚",
  "ƒ",
  "„",
  "…",
  "†",
  "‡",
  "ˆ",
  "‰",
  "Š",
  "‹",
  "Œ",
  "\ufffd",
  "Ž",
  "\ufffd",
  "\ufffd",
  "‘",
  "’",
  "“",
  "”",
  "•",
  "–",
  "—",
  "˜",
  "™",
  "š",
  "›",
  "œ",
  "\ufffd",
  "ž",
  "Ÿ",
];

// References browsers accept without the semicolon ("&amp" in "AT&amp T" and "&nbsp" in old
// CMS output); anything else needs its ";" so "&copyright" is not read as "©right".
const LEGACY = new Set([
  "amp",
  "lt",
  "gt",
  "quot",
  "nbsp",
  "copy",
  "reg",
  "AMP",
  "LT",
  "GT",
  "QUOT",
]);
