import { isUtf8 } from "node:buffer";
import iconv from "iconv-lite";

/**
 * Turns the bytes of a feed into text. Precedence, following RFC 7303 §3.2 and the WHATWG
 * Encoding Standard:
 *   1. a byte order mark (UTF-8, UTF-16 and UTF-32 LE/BE): it cannot be there by accident;
 *   2. the Content-Type charset parameter: the server's statement about these bytes;
 *   3. the XML declaration's encoding (`<?xml version="1.0" encoding="windows-1256"?>`),
 *      also recognised in UTF-16 and UTF-32 without a BOM;
 *   4. for an HTML page, its `<meta charset>` (or `http-equiv` Content-Type) in the first
 *      1024 bytes, as the WHATWG prescan reads it;
 *   5. UTF-8.
 * Labels iconv-lite does not know are ignored, falling through to the next rule. Like
 * browsers, "iso-8859-1" and "us-ascii" are read as windows-1252: publishers who say Latin-1
 * routinely send curly quotes and dashes from 0x80–0x9F, which Latin-1 turns into controls.
 */
export function decodeBody(bytes: Buffer, contentType: string | null): string {
  return iconv.decode(bytes, detectEncoding(bytes, contentType)); // strips a BOM
}

export function detectEncoding(bytes: Buffer, contentType: string | null): string {
  const bom = bomEncoding(bytes);
  if (bom) return bom;
  const fromHeader = usable(charsetParam(contentType));
  if (fromHeader) return fromHeader;
  const fromDeclaration = usable(declaredEncoding(bytes));
  if (fromDeclaration) return fromDeclaration;
  const fromMeta = usable(metaCharset(bytes));
  if (fromMeta) return fromMeta;
  return "utf-8";
}

/** Text decoded from bytes, with what a reader should be told about how. */
export interface DecodedText {
  text: string;
  encoding: string;
  /** Read as UTF-8 but not valid UTF-8: where the first bad byte is, and how many bad runs. */
  invalid: { offset: number; count: number } | null;
}

/**
 * Decodes like decodeBody and says where UTF-8 text has bytes that are not UTF-8 (each became
 * U+FFFD): a file saved in a legacy encoding and not declared so is the usual cause, and
 * without a word it would just match nothing.
 */
export function decodeText(bytes: Buffer, contentType: string | null): DecodedText {
  const encoding = detectEncoding(bytes, contentType);
  const text = iconv.decode(bytes, encoding);
  const invalid = encoding === "utf-8" && !isUtf8(bytes) ? invalidUtf8(bytes) : null;
  return { text, encoding, invalid };
}

// HTML pages only: an XML feed with an HTML snippet near its start must not be re-labelled.
const HTML_HEAD = /^\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|meta)\b/i;
const META_CHARSET = /<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i;

function metaCharset(b: Buffer): string | null {
  const head = b.subarray(0, 1024).toString("latin1");
  if (!HTML_HEAD.test(head)) return null;
  return META_CHARSET.exec(head)?.[1] ?? null;
}

/** The offset of the first byte that starts no valid UTF-8 sequence, and the number of such. */
function invalidUtf8(b: Buffer): { offset: number; count: number } {
  let offset = -1;
  let count = 0;
  let i = 0;
  while (i < b.length) {
    const n = utf8SequenceLength(b, i);
    if (n > 0) {
      i += n;
      continue;
    }
    if (offset < 0) offset = i;
    count++;
    i++;
    // A run of bad bytes is one problem to the reader.
    while (i < b.length && utf8SequenceLength(b, i) === 0) i++;
  }
  return { offset, count };
}

/** Length of the valid UTF-8 sequence at i (RFC 3629 §4: no overlongs, no surrogates), or 0. */
function utf8SequenceLength(b: Buffer, i: number): number {
  const c = b[i] as number;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => {
    const x = b[i + k];
    return x !== undefined && x >= lo && x <= hi;
  };
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

function bomEncoding(b: Buffer): string | null {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return "utf-8";
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0x00 && b[3] === 0x00) return "utf-32le";
  if (b[0] === 0x00 && b[1] === 0x00 && b[2] === 0xfe && b[3] === 0xff) return "utf-32be";
  if (b[0] === 0xff && b[1] === 0xfe) return "utf-16le";
  if (b[0] === 0xfe && b[1] === 0xff) return "utf-16be";
  return null;
}

function charsetParam(contentType: string | null): string | null {
  if (!contentType) return null;
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return m?.[1] ?? null;
}

function declaredEncoding(b: Buffer): string | null {
  // "<" in UTF-32 or "<?" in UTF-16 without a BOM: the declaration itself tells the byte order.
  if (b[0] === 0x3c && b[1] === 0x00 && b[2] === 0x00 && b[3] === 0x00) return "utf-32le";
  if (b[0] === 0x00 && b[1] === 0x00 && b[2] === 0x00 && b[3] === 0x3c) return "utf-32be";
  if (b[0] === 0x3c && b[1] === 0x00 && b[2] === 0x3f && b[3] === 0x00) return "utf-16le";
  if (b[0] === 0x00 && b[1] === 0x3c && b[2] === 0x00 && b[3] === 0x3f) return "utf-16be";
  const head = b.subarray(0, 200).toString("latin1");
  const m = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return m?.[1] ?? null;
}

function usable(label: string | null): string | null {
  if (!label) return null;
  const l = label.toLowerCase();
  if (l === "iso-8859-1" || l === "latin1" || l === "us-ascii" || l === "ascii")
    return "windows-1252";
  // A UTF-16 label on a body without a BOM or UTF-16 declaration bytes is a lie: the bytes we
  // just read the declaration from were ASCII-compatible.
  if (l === "utf-16" || l === "utf16" || l === "utf-32" || l === "utf32") return null;
  return iconv.encodingExists(l) ? l : null;
}
