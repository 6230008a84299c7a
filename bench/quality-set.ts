/**
 * The labelled set bench:quality measures with: YAML files of reports, each file labelled
 * `alert` (must alert) or `quiet` (a near-miss that must not). test/fixtures/quality/ by
 * default; QUALITY_SET=DIR measures another set of the same shape (a held-out one).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { MatchDocument } from "../src/rules/index.ts";

export interface LabelledItem {
  id: string;
  title: string;
  text: string;
  /** What real report it paraphrases. */
  about?: string;
  /** A near-miss with nothing to do with Iraq: any Iraqi place term firing on it is a trap. */
  elsewhere?: boolean;
  alert: boolean;
  /** "ar" when the title is in Arabic script, else "en". */
  lang: "ar" | "en";
  file: string;
}

export const DEFAULT_SET = fileURLToPath(new URL("../test/fixtures/quality/", import.meta.url));

const ARABIC = /\p{Script=Arabic}/u;

export function loadQualitySet(dir = process.env.QUALITY_SET ?? DEFAULT_SET): LabelledItem[] {
  const items: LabelledItem[] = [];
  for (const f of readdirSync(dir)
    .filter((n) => /\.ya?ml$/.test(n))
    .sort()) {
    const file = path.join(dir, f);
    const doc = parse(readFileSync(file, "utf8")) as {
      label: "alert" | "quiet";
      items: Omit<LabelledItem, "alert" | "lang" | "file">[];
    };
    if (doc.label !== "alert" && doc.label !== "quiet") {
      throw new Error(`${file}: label must be alert or quiet`);
    }
    for (const item of doc.items) {
      items.push({
        ...item,
        alert: doc.label === "alert",
        lang: ARABIC.test(item.title) ? "ar" : "en",
        file,
      });
    }
  }
  return items;
}

export function asDocument(item: LabelledItem): MatchDocument {
  return { feedId: "quality", title: item.title, content: item.text, author: "", categories: [] };
}
