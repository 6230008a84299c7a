import iconv from "iconv-lite";

/**
 * Turns the bytes of a feed into text. Precedence, following RFC 7303 §3.2 and the WHATWG
 * Encoding Standard:
 *   1. a byte order mark (UTF-8, UTF-16 and UTF-32 LE/BE): it cannot be there by accident;
 *   2. the Content-Type charset parameter: the server's statement about these bytes;
 *   3. the XML declaration's encoding (`<?xml version="1.0" encoding="windows-1256"?>`),
 *      also recognised in UTF-16 and UTF-32 without a BOM;
 *   4. UTF-8.
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
  return "utf-8";
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
