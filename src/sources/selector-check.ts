import { createRequire } from "node:module";

type CheerioSlim = typeof import("cheerio/slim");
let cheerio: CheerioSlim | undefined;

/**
 * Why a CSS selector cannot be used (the selector engine's own message), or null. The engine
 * is the one `kind: html` polls with (cheerio's css-select), loaded only when a config has
 * selectors to check, and synchronously, since config checks are.
 */
export function selectorProblem(selector: string): string | null {
  cheerio ??= createRequire(import.meta.url)("cheerio/slim") as CheerioSlim;
  try {
    cheerio.load("<p></p>")(selector);
    return null;
  } catch (err) {
    return `not a CSS selector the engine understands: ${(err as Error).message}`;
  }
}
