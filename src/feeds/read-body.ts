import type { IncomingMessage } from "node:http";
import { PassThrough, pipeline, type Readable, type Transform } from "node:stream";
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
        `${url.href}: body could not be decompressed (${encoding === "identity" ? "gzip by its first bytes" : encoding}): ${(err as Error).message}`,
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
    case "identity":
      return gzipByMagic(res);
    default:
      return res;
  }
}

// Errors surface through the returned stream's iteration; the callback has nothing to add.
function noop(): void {}

// A zlib stream starts with CMF 0x?8 whose (CMF*256+FLG) is a multiple of 31.
function isZlibHeader([cmf = 0, flg = 0]: Buffer): boolean {
  return (cmf & 0x0f) === 8 && ((cmf << 8) | flg) % 31 === 0;
}

function inflate(res: IncomingMessage): Readable {
  return decidedByFirstBytes(res, (head) =>
    isZlibHeader(head) ? zlib.createInflate() : zlib.createInflateRaw(),
  );
}

/**
 * A body sent without Content-Encoding that starts with gzip's magic bytes 1f 8b (RFC 1952
 * §2.3.1) is a .gz file served as is; no feed text starts with them. It is decoded, and the
 * decoded bytes count against the same cap.
 */
function gzipByMagic(res: IncomingMessage): Readable {
  return decidedByFirstBytes(res, (head) =>
    head[0] === 0x1f && head[1] === 0x8b ? zlib.createGunzip() : new PassThrough(),
  );
}

/** Pipes the body through the transform `pick` chooses from its first two bytes. */
function decidedByFirstBytes(res: IncomingMessage, pick: (head: Buffer) => Transform): Readable {
  const out = new PassThrough();
  let target: Transform | null = null;
  let head = Buffer.alloc(0);
  const start = () => {
    target = pick(head);
    target.on("error", (e) => out.destroy(e));
    target.pipe(out);
    return target;
  };
  res.on("data", (chunk: Buffer) => {
    let writeTo = target;
    if (!writeTo) {
      head = Buffer.concat([head, chunk]);
      if (head.length < 2) return;
      writeTo = start();
      chunk = head;
    }
    if (!writeTo.write(chunk)) {
      res.pause();
      writeTo.once("drain", () => res.resume());
    }
  });
  res.on("end", () => {
    if (target) return target.end();
    start().end(head);
  });
  res.on("error", (e) => out.destroy(e));
  return out;
}
