import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

export const VERSION = pkg.version;

/** Publishers can see who polls them and how to reach the project (a polite crawler names itself). */
export function userAgent(): string {
  return `newswatch/${VERSION} (self-hosted feed alert monitor)`;
}
