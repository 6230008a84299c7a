import type { IncidentSignature } from "./incident-signature.ts";

/**
 * A story as grouping sees it: the first report's time and the signatures of the reports
 * kept so far (a handful is enough to compare against; later ones add wording, not meaning).
 */
export interface IncidentProfile {
  firstAt: number;
  reports: IncidentSignature[];
}

export interface GroupingOptions {
  /**
   * How far from a story's first report another report may be and still join it. Outlets
   * carry one incident within hours; a second attack on the same base the next day is a
   * new story. @defaultValue 12 hours
   */
  windowMs: number;
}

export const DEFAULT_GROUPING: GroupingOptions = { windowMs: 12 * 3_600_000 };

/**
 * Event concepts that say what happened was not an attack: a report of a drill at Taji and a
 * report of rockets on Taji share their place and weapon words, and are two events.
 */
const NOT_ATTACKS = ["exercise"];

/** Reports kept on a profile for comparison. */
export const PROFILE_REPORTS = 6;

/** Word overlap at which two reports are copies of one text whatever the vocabulary says. */
const COPY_OVERLAP = 0.7;
/** Word overlap that joins reports agreeing on the place or the event but not both. */
const CLOSE_OVERLAP = 0.6;
/**
 * Shared words below which overlap says nothing: "Rockets story 1" and "Rockets story 2"
 * share three of four words and are two stories; a copy shares a title and a lede.
 */
const MIN_SHARED_WORDS = 5;

/**
 * How strongly a report belongs to a story, or null when it does not: the two must be close
 * in time, must not name different sites (Taji and Ain al-Asad the same night are two
 * attacks), and must agree on both what happened and where — or share most of their words.
 */
export function incidentScore(
  report: IncidentSignature,
  profile: IncidentProfile,
  options: GroupingOptions = DEFAULT_GROUPING,
): number | null {
  // Absolute: a report dated before the story's first one (clock skew, a late-dated wire
  // copy) still belongs to it.
  if (Math.abs(report.at - profile.firstAt) > options.windowMs) return null;
  const what = union(profile.reports.map((r) => r.what));
  const sites = union(profile.reports.map((r) => r.sites));
  const areas = union(profile.reports.map((r) => r.areas));
  const names = union(profile.reports.map((r) => r.names));
  const overlap = Math.max(0, ...profile.reports.map((r) => textOverlap(report, r)));
  if (NOT_ATTACKS.some((k) => report.what.includes(k) !== what.has(k))) return null;

  if (report.sites.length > 0 && sites.size > 0 && !shares(report.sites, sites)) return null;
  // A title naming a place we do not know, against a story at a known site, is another
  // place in the same city (Dora, not Sadr City).
  const elsewhere =
    sites.size > 0 && report.sites.length === 0 && report.titleNames.some((n) => !names.has(n));
  const sharedWhat = count(report.what, what);
  const where =
    shares(report.sites, sites) || shares(report.areas, areas)
      ? 2
      : count(report.names, names) >= 1
        ? 1
        : 0;
  // A report and a story that both name what happened must agree on it.
  const whatConflict = report.what.length > 0 && what.size > 0 && sharedWhat === 0;
  if (overlap >= COPY_OVERLAP && !whatConflict) return 4 + overlap;
  if (whatConflict || elsewhere) return null;
  if (where > 0 && sharedWhat > 0) return where + Math.min(sharedWhat, 2) + overlap;
  if (overlap >= CLOSE_OVERLAP && (where > 0 || sharedWhat > 0)) return 1 + overlap;
  return null;
}

/** The best-fitting story among candidates, or null when none fits. */
export function bestIncident<T extends { profile: IncidentProfile }>(
  report: IncidentSignature,
  candidates: readonly T[],
  options: GroupingOptions = DEFAULT_GROUPING,
): T | null {
  let best: T | null = null;
  let bestScore = 0;
  for (const candidate of candidates) {
    const score = incidentScore(report, candidate.profile, options);
    if (score !== null && score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** The profile with one more report (kept to the first few). */
export function withReport(profile: IncidentProfile, report: IncidentSignature): IncidentProfile {
  return {
    firstAt: Math.min(profile.firstAt, report.at),
    reports:
      profile.reports.length >= PROFILE_REPORTS ? profile.reports : [...profile.reports, report],
  };
}

export function profileOf(report: IncidentSignature): IncidentProfile {
  return { firstAt: report.at, reports: [report] };
}

function union(lists: string[][]): Set<string> {
  return new Set(lists.flat());
}

function shares(values: readonly string[], set: Set<string>): boolean {
  return values.some((v) => set.has(v));
}

function count(values: readonly string[], set: Set<string>): number {
  return values.filter((v) => set.has(v)).length;
}

/** Title words two copies of one report share at least (over the shorter title's). */
const TITLE_OVERLAP = 0.6;

/**
 * How much of their text two reports share, 0 unless their headlines agree too: texts drawn
 * from one small vocabulary (market reports, generated feeds) share most of their words and
 * nothing else.
 */
function textOverlap(a: IncidentSignature, b: IncidentSignature): number {
  const set = new Set(b.titleWords);
  const sharedTitle = a.titleWords.filter((w) => set.has(w)).length;
  const shorter = Math.min(a.titleWords.length, b.titleWords.length);
  if (shorter === 0 || sharedTitle / shorter < TITLE_OVERLAP) return 0;
  return wordOverlap(a.words, b.words);
}

/** Shared words over the shorter report's words: a short flash inside a long report counts. */
function wordOverlap(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const set = new Set(b);
  const shared = a.filter((w) => set.has(w)).length;
  if (shared < MIN_SHARED_WORDS || numbersDiffer(a, set)) return 0;
  return shared / Math.min(a.length, b.length);
}

const NUMBER = /^\d+$/;

/**
 * Copies of one text repeat its numbers; two texts alike but for every number in them
 * ("report number 5 from sector 7", "number 6 from sector 9") are two reports. A changed
 * figure in a genuine follow-up still joins through what happened and where.
 */
function numbersDiffer(a: readonly string[], b: Set<string>): boolean {
  const ours = a.filter((w) => NUMBER.test(w));
  if (ours.length === 0 || ![...b].some((w) => NUMBER.test(w))) return false;
  return !ours.some((n) => b.has(n));
}
