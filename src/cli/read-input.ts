import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { decodeText } from "../feeds/decode.ts";
import type { CliIO } from "./command.ts";

/**
 * The most `match` and `suggest` read from one input: the body cap a fetched feed has by
 * default (defaults.maxBodyBytes), so a file is read the way the daemon would read it. A feed
 * is parsed whole (rss-parser takes a string), so bounding the input is what bounds memory.
 */
export const INPUT_MAX_BYTES = 10 * 1024 * 1024;

function tooLarge(maxBytes: number): Error {
  return new Error(
    `larger than ${maxBytes / (1024 * 1024)} MiB, the body cap a fetched feed has too; not read (split it into smaller files)`,
  );
}

/**
 * Reads a FILE argument (or `-`, standard input) as text the way the fetcher decodes a feed
 * (see decode.ts: BOM, XML declaration, `<meta charset>`, then UTF-8), so a saved
 * windows-1256 feed reads as it did when polled, refused once it passes `maxBytes`. Bytes
 * that are not UTF-8 where UTF-8 was assumed get a warning on stderr naming the file and the
 * byte: they became U+FFFD, and a query would otherwise silently match nothing.
 */
export async function readInput(
  file: string,
  io: CliIO,
  maxBytes = INPUT_MAX_BYTES,
): Promise<string> {
  const { text, invalid } = decodeText(await readCapped(file, io, maxBytes), null);
  if (invalid) {
    const name = file === "-" ? "standard input" : file;
    const more = invalid.count > 1 ? ` (and ${invalid.count - 1} more places)` : "";
    io.stderr.write(
      `warning: ${name}: not valid UTF-8 at byte ${invalid.offset}${more}; read with U+FFFD in place of the bad bytes. If the file is in another encoding, declare it (<?xml version="1.0" encoding="windows-1256"?> or <meta charset="windows-1256">) or convert it to UTF-8.\n`,
    );
  }
  return text;
}

async function readCapped(file: string, io: CliIO, maxBytes: number): Promise<Buffer> {
  const source = file === "-" ? io.stdin : await openFile(path.resolve(io.cwd, file), maxBytes);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of source) {
    const bytes = Buffer.from(chunk as Buffer);
    total += bytes.length;
    // Stops reading at the cap: a 1 GB pipe costs 10 MiB of memory, not 1 GB.
    if (total > maxBytes) throw tooLarge(maxBytes);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, total);
}

async function openFile(file: string, maxBytes: number): Promise<NodeJS.ReadableStream> {
  const info = await stat(file);
  if (info.isFile() && info.size > maxBytes) throw tooLarge(maxBytes);
  return createReadStream(file);
}
