/**
 * `npm run bench:quality`: how well newswatch tells incidents from near-misses on a labelled
 * set (test/fixtures/quality, or QUALITY_SET=DIR for a held-out one), then the same on the
 * held-out set written apart from it (test/fixtures/quality-holdout), then how well it groups
 * reports into incidents (bench/quality-grouping.ts) on its labelled set and two unseen ones
 * (GROUPING_SET=DIR for another). A small orchestrator: each section scores a set its way;
 * the run exits 1 when a target is missed.
 */
import { fileURLToPath } from "node:url";
import { qualityGrouping } from "./quality-grouping.ts";
import { matchingSections, type QualitySection, type Score } from "./quality-matching.ts";
import { type LabelledItem, loadQualitySet } from "./quality-set.ts";

export type { QualitySection, Score } from "./quality-matching.ts";
export { loadQualitySet } from "./quality-set.ts";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function printScore(s: Score): boolean {
  const met = s.target
    ? s.recall >= s.target.recall && s.falseAlarms <= s.target.falseAlarms
    : true;
  const target = s.target
    ? `  target ≥ ${pct(s.target.recall)} / ≤ ${pct(s.target.falseAlarms)}: ${met ? "met" : "MISSED"}`
    : "";
  console.log(
    `  ${s.name}: recall ${pct(s.recall)} (${s.alerts - s.missed.length}/${s.alerts}), false alarms ${pct(s.falseAlarms)} (${s.wronglyAlerted.length}/${s.quiet})${target}`,
  );
  console.log(`    query: ${s.query.replaceAll(/\s+/g, " ")}`);
  if (s.missed.length > 0) console.log(`    missed: ${s.missed.join(", ")}`);
  if (s.wronglyAlerted.length > 0) console.log(`    false alarms: ${s.wronglyAlerted.join(", ")}`);
  return met;
}

/** Runs every section on the set and prints its scores; true when every target is met. */
export function runQuality(sections: QualitySection[], set: LabelledItem[]): boolean {
  const alerts = set.filter((i) => i.alert);
  const quiet = set.filter((i) => !i.alert);
  const arabic = (items: LabelledItem[]) => items.filter((i) => i.lang === "ar").length;
  console.log(
    `labelled set: ${alerts.length} must alert (${arabic(alerts)} in Arabic), ${quiet.length} near-misses (${arabic(quiet)} in Arabic)`,
  );
  let allMet = true;
  for (const section of sections) {
    console.log(`\n${section.title}`);
    for (const line of section.run(set)) {
      if (typeof line === "string") console.log(`  ${line}`);
      else allMet = printScore(line) && allMet;
    }
  }
  return allMet;
}

const fixtures = (dir: string) =>
  fileURLToPath(new URL(`../test/fixtures/${dir}/`, import.meta.url));

/** Grouping on each set; true when pairwise precision >= 90% and recall >= 80% on all. */
async function runGrouping(dirs: string[]): Promise<boolean> {
  let met = true;
  for (const dir of dirs) {
    console.log(`\nincident grouping on ${dir}`);
    const q = await qualityGrouping({ dir, log: (line) => console.log(`  ${line}`) });
    met = q.precision >= 0.9 && q.recall >= 0.8 && met;
  }
  return met;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let met = runQuality(matchingSections, loadQualitySet());
  if (!process.env.QUALITY_SET) {
    console.log("\n== held-out set (test/fixtures/quality-holdout, never tuned on) ==");
    met = runQuality(matchingSections, loadQualitySet(fixtures("quality-holdout"))) && met;
  }
  const groupingSets = process.env.GROUPING_SET
    ? [process.env.GROUPING_SET]
    : [fixtures("grouping"), fixtures("grouping-unseen"), fixtures("grouping-holdout")];
  met = (await runGrouping(groupingSets)) && met;
  process.exitCode = met ? 0 : 1;
}
