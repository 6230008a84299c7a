import { readFile } from "node:fs/promises";
import path from "node:path";
import type { CliIO } from "./command.ts";

/** A command's input: the named file (relative to the working directory), or stdin for "-". */
export async function readInput(file: string, io: CliIO): Promise<string> {
  if (file !== "-") return readFile(path.resolve(io.cwd, file), "utf8");
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}
