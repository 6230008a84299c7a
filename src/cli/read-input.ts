import { readFile } from "node:fs/promises";
import path from "node:path";
import { decodeText } from "../feeds/decode.ts";
import type { CliIO } from "./command.ts";

/**
 * Reads a FILE argument (or `-`, standard input) as text the way the fetcher decodes a feed
 * (see decode.ts: BOM, XML declaration, `<meta charset>`, then UTF-8), so a saved
 * windows-1256 feed reads as it did when polled. Bytes that are not UTF-8 where UTF-8 was
 * assumed get a warning on stderr naming the file and the byte: they became U+FFFD, and a
 * query would otherwise silently match nothing.
 */
export async function readInput(file: string, io: CliIO): Promise<string> {
  const bytes = file === "-" ? await readStdin(io) : await readFile(path.resolve(io.cwd, file));
  const { text, invalid } = decodeText(bytes, null);
  if (invalid) {
    const more = invalid.count > 1 ? ` (and ${invalid.count - 1} more places)` : "";
    io.stderr.write(
      `warning: ${file === "-" ? "standard input" : file}: not valid UTF-8 at byte ${invalid.offset}${more}; read with U+FFFD in place of the bad bytes. If the file is in another encoding, declare it (<?xml version="1.0" encoding="windows-1256"?> or <meta charset="windows-1256">) or convert it to UTF-8.\n`,
    );
  }
  return text;
}

async function readStdin(io: CliIO): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}
