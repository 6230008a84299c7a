import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
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

/** A file (or `-` for standard input) as UTF-8 text, refused once it passes `maxBytes`. */
export async function readInput(
  file: string,
  io: CliIO,
  maxBytes = INPUT_MAX_BYTES,
): Promise<string> {
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
  return Buffer.concat(chunks, total).toString("utf8");
}

async function openFile(file: string, maxBytes: number): Promise<NodeJS.ReadableStream> {
  const info = await stat(file);
  if (info.isFile() && info.size > maxBytes) throw tooLarge(maxBytes);
  return createReadStream(file);
}
