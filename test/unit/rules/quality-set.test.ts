import { expect, test } from "vitest";
import { score, shippedWatchlistQuery } from "../../../bench/quality-matching.ts";
import { loadQualitySet } from "../../../bench/quality-set.ts";

const set = loadQualitySet();

test("the labelled set has 60 reports that must alert and 60 near-misses, 15 of each in Arabic", () => {
  const alerts = set.filter((i) => i.alert);
  const quiet = set.filter((i) => !i.alert);
  expect(alerts.length).toBeGreaterThanOrEqual(60);
  expect(quiet.length).toBeGreaterThanOrEqual(60);
  expect(alerts.filter((i) => i.lang === "ar").length).toBeGreaterThanOrEqual(15);
  expect(quiet.filter((i) => i.lang === "ar").length).toBeGreaterThanOrEqual(15);
  expect(new Set(set.map((i) => i.id)).size).toBe(set.length);
});

test("the shipped watchlist catches 95% of the incidents with at most 3% false alarms", () => {
  const s = score("shipped", shippedWatchlistQuery(), set);
  expect(s.recall, `missed: ${s.missed.join(", ")}`).toBeGreaterThanOrEqual(0.95);
  expect(s.falseAlarms, `false alarms: ${s.wronglyAlerted.join(", ")}`).toBeLessThanOrEqual(0.03);
});
