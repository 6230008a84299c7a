/**
 * Incident grouping quality: pairwise precision and recall of src/dedupe's grouping against a
 * labelled set (test/fixtures/grouping, or `--dir` for another folder in the same format).
 * Standalone: `node --import tsx bench/quality-grouping.ts [--dir DIR] [--verbose]`; the
 * `npm run bench:quality` runner calls `qualityGrouping()`.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { groupReports, pairwiseScores, type Report } from "../src/dedupe/group-reports.ts";

export const DEFAULT_DIR = path.join(import.meta.dirname, "../test/fixtures/grouping");

interface LabelledReport {
  id: string;
  incident: string;
  outlet: string;
  published: string;
  title: string;
  text: string;
}

export interface GroupingQuality {
  name: "incident grouping";
  reports: number;
  incidents: number;
  precision: number;
  recall: number;
  /** Pairs grouped that should not be, and pairs kept apart that should be one. */
  wrongMerges: [string, string][];
  missedMerges: [string, string][];
}

export async function loadLabelled(dir: string): Promise<LabelledReport[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".json")).sort();
  const all: LabelledReport[] = [];
  for (const file of files)
    all.push(...(JSON.parse(await readFile(path.join(dir, file), "utf8")) as LabelledReport[]));
  return all;
}

export async function qualityGrouping(
  options: { dir?: string; log?: (line: string) => void; verbose?: boolean } = {},
): Promise<GroupingQuality> {
  const log = options.log ?? console.log;
  const labelled = await loadLabelled(options.dir ?? DEFAULT_DIR);
  const reports: Report[] = labelled.map((r) => ({
    id: r.id,
    title: r.title,
    text: r.text,
    at: Date.parse(r.published),
  }));
  const predicted = groupReports(reports);
  const labels = new Map(labelled.map((r) => [r.id, r.incident]));
  const scores = pairwiseScores(labels, predicted);
  const wrongMerges: [string, string][] = [];
  const missedMerges: [string, string][] = [];
  for (let i = 0; i < labelled.length; i++)
    for (let j = i + 1; j < labelled.length; j++) {
      const a = labelled[i] as LabelledReport;
      const b = labelled[j] as LabelledReport;
      const same = a.incident === b.incident;
      const grouped = predicted.get(a.id) === predicted.get(b.id);
      if (grouped && !same) wrongMerges.push([a.id, b.id]);
      if (same && !grouped) missedMerges.push([a.id, b.id]);
    }
  const result: GroupingQuality = {
    name: "incident grouping",
    reports: labelled.length,
    incidents: new Set(labels.values()).size,
    precision: scores.precision,
    recall: scores.recall,
    wrongMerges,
    missedMerges,
  };
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  log(
    `incident grouping: ${result.reports} reports, ${result.incidents} incidents, ` +
      `pairwise precision ${pct(result.precision)} (target >= 90%), ` +
      `recall ${pct(result.recall)} (target >= 80%)`,
  );
  if (options.verbose) {
    for (const [a, b] of wrongMerges) log(`  wrongly grouped: ${a} + ${b}`);
    for (const [a, b] of missedMerges) log(`  kept apart:      ${a} / ${b}`);
  }
  return result;
}

export default qualityGrouping;

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const dirAt = args.indexOf("--dir");
  await qualityGrouping({
    dir: dirAt >= 0 ? args[dirAt + 1] : undefined,
    verbose: args.includes("--verbose"),
  });
}
