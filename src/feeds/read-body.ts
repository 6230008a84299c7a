import type { IncomingMessage } from "node:http";
import { PassThrough, pipeline, type Readable } from "node:stream";
import zlib from "node:zlib";
import { FetchError } from "./fetch-error.ts";

/** Reads the body through the decoder its Content-Encoding names, counting decoded bytes. */
export async function readBody(
  res: IncomingMessage,
  url: URL,
  maxBytes: number,
  deadline: AbortSignal,
  outer: AbortSignal | undefined,
): Promise<Buffer> {
  const declared = Number(res.headers["content-length"]);
  const rawEncoding = res.headers["content-encoding"];
  const encoding = (typeof rawEncoding === "string" ? rawEncoding : "identity")
    .trim()
    .toLowerCase();
  const tooLarge = () =>
    new FetchError("too-large", `${url.href}: body larger than ${maxBytes} bytes`);
  if (encoding === "identity" && declared > maxBytes) {
    res.destroy();
    throw tooLarge();
  }
  const stream = decompressor(res, encoding);
  const onAbort = () =>
    stream.destroy(new FetchError("timeout", `${url.href}: body not received in time`));
  if (deadline.aborted) onAbort();
  deadline.addEventListener("abort", onAbort, { once: true });
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      // Counted after decompression: a 10 kB gzip bomb stops here, not after 10 GB of RAM.
      if (total > maxBytes) {
        stream.destroy();
        res.destroy();
        throw tooLarge();
      }
      chunks.push(chunk);
    }
  } catch (err) {
    res.destroy();
    if (err instanceof FetchError) {
      if (err.category === "timeout" && outer?.aborted)
        throw new FetchError("timeout", `${url.href}: fetch cancelled`);
      throw err;
    }
    const code = (err as NodeJS.ErrnoException).code ?? "";
    if (code.startsWith("Z_") || code.startsWith("ERR_")) {
      throw new FetchError(
        "parse",
        `${url.href}: body could not be decompressed (${encoding}): ${(err as Error).message}`,
        { cause: err },
      );
    }
    throw new FetchError(
      "connect",
      `${url.href}: connection lost while reading the body: ${(err as Error).message}`,
      { cause: err },
    );
  } finally {
    deadline.removeEventListener("abort", onAbort);
  }
  return Buffer.concat(chunks, total);
}

function decompressor(res: IncomingMessage, encoding: string): Readable {
  switch (encoding) {
    // pipeline, not pipe: a reset connection must fail the read at once, not leave the
    // decompressor waiting for the deadline.
    case "gzip":
    case "x-gzip":
      return pipeline(res, zlib.createGunzip(), noop);
    case "deflate":
      // Servers disagree on whether "deflate" is zlib-wrapped (as RFC 9110 says) or raw.
      return inflate(res);
    case "br":
      return pipeline(res, zlib.createBrotliDecompress(), noop);
    default:
      return res;
  }
}

// Errors surface through the returned stream's iteration; the callback has nothing to add.
function noop(): void {}

function inflate(res: IncomingMessage): Readable {
  const passthrough = zlib.createInflate();
  let decided = false;
  let target: zlib.Inflate | zlib.InflateRaw = passthrough;
  const out = new PassThrough();
  res.on("data", (chunk: Buffer) => {
    if (!decided) {
      decided = true;
      // A zlib stream starts with CMF 0x?8 whose (CMF*256+FLG) is a multiple of 31.
      const [cmf = 0, flg = 0] = chunk;
      const wrapped = (cmf & 0x0f) === 8 && ((cmf << 8) | flg) % 31 === 0;
      target = wrapped ? passthrough : zlib.createInflateRaw();
      target.on("error", (e) => out.destroy(e));
      target.pipe(out);
    }
    if (!target.write(chunk)) {
      res.pause();
      target.once("drain", () => res.resume());
    }
  });
  res.on("end", () => (decided ? target.end() : out.end()));
  res.on("error", (e) => out.destroy(e));
  return out;
}
