import { readFileSync } from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../package-root.ts";

const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as {
  version: string;
};

export const VERSION = pkg.version;

/** Publishers can see who polls them and how to reach the project (a polite crawler names itself). */
export function userAgent(): string {
  return `newswatch/${VERSION} (self-hosted feed alert monitor)`;
}
