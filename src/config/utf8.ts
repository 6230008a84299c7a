/**
 * Decodes a config file as UTF-8, refusing bytes that are not: Node's decoder would turn a
 * Latin-1 `café` into `caf�` without a word, and a query would then never match. The problem
 * names the line and the byte so the file can be fixed (usually: save it as UTF-8).
 */
export function decodeUtf8(bytes: Buffer, file: string): string | { problem: string } {
  const text = bytes.toString("utf8");
  const at = firstInvalidByte(bytes, text);
  if (at < 0) return text;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < at; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const hex = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, "0");
  return {
    problem: `${file}: not valid UTF-8: byte 0x${hex} at line ${line}, byte ${at - lineStart + 1} of the line (byte ${at + 1} of the file); save the file as UTF-8`,
  };
}

/**
 * Where decoding replaced bytes: up to the first invalid sequence the text re-encodes to the
 * same bytes, so the first difference is that sequence (-1 when there is none).
 */
function firstInvalidByte(bytes: Buffer, text: string): number {
  if (!text.includes("\uFFFD")) return -1;
  const again = Buffer.from(text, "utf8");
  const n = Math.min(again.length, bytes.length);
  for (let i = 0; i < n; i++) if (again[i] !== bytes[i]) return i;
  return again.length === bytes.length ? -1 : n;
}
