import { existsSync } from "node:fs";
import path from "node:path";

/**
 * The directory holding newswatch's package.json, found by walking up from this file: the same
 * code runs from src (tsx) and from dist/src (the build), one level deeper.
 */
function findPackageRoot(from: string): string {
  let dir = from;
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export const PACKAGE_ROOT = findPackageRoot(import.meta.dirname);
