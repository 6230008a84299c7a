import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { DeliveryError } from "./delivery-error.ts";

const EXPLAIN: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  ENOTDIR: "a path component is not a directory",
};

/**
 * Writes `<dir>/<name>` so that a reader never sees half a message: the bytes go to a temp file
 * in the same directory and are renamed into place (rename is atomic within one file system).
 * Writing the same name again replaces the file, so a retried alert leaves one .eml, not two.
 * Failures are retryable: a full disk or a wrong permission is fixed by the operator, and the
 * message should go out once it is.
 */
export async function writeOutboxFile(dir: string, name: string, data: Buffer): Promise<string> {
  const target = path.join(dir, name);
  const temp = path.join(dir, `.${name}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(temp, data, { flag: "wx" });
    await rename(temp, target);
    return target;
  } catch (err) {
    await rm(temp, { force: true }).catch(() => {});
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    const why = EXPLAIN[code] ?? (err as Error).message;
    throw new DeliveryError(
      `cannot write outbox file ${target}: ${code} (${why}); check email.outbox`,
      {
        permanent: false,
        cause: err,
      },
    );
  }
}
