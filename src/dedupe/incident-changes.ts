import type { IncidentFacts, IncidentSignature } from "./incident-signature.ts";

/** What a story's reports have said so far: a new report is news when it changes this. */
export interface StoryKnowledge extends IncidentFacts {
  places: string[];
}

export const NOTHING_KNOWN: StoryKnowledge = { places: [] };

const FIGURES = [
  ["killed", "killed"],
  ["wounded", "wounded"],
  ["projectiles", "rockets, missiles or drones"],
] as const;

/**
 * What a report adds to what the story's earlier reports said, in words a reader can take in
 * at a glance ("5 killed (earlier: 3)", "responsibility claimed", "new place: taji"). Empty
 * when it only repeats them: such a report is kept on the story but sends no update.
 */
export function whatChanged(known: StoryKnowledge, report: IncidentSignature): string[] {
  const changes: string[] = [];
  for (const [field, label] of FIGURES) {
    const now = report.facts[field];
    const before = known[field];
    if (now === undefined || now === before) continue;
    changes.push(before === undefined ? `${now} ${label}` : `${now} ${label} (earlier: ${before})`);
  }
  if (report.facts.claimed && !known.claimed) changes.push("responsibility claimed");
  // A first report has nothing to be new against; its places are the story's. A new site
  // is named alone, not with the province it is in.
  if (known.places.length > 0) {
    const places = new Set(known.places);
    const newSites = report.sites.filter((p) => !places.has(p));
    const fresh = newSites.length > 0 ? newSites : report.areas.filter((p) => !places.has(p));
    for (const place of fresh) changes.push(`new place: ${place.replaceAll("-", " ")}`);
  }
  return changes;
}

/** The knowledge with the report's figures and places folded in (the latest figure wins). */
export function learn(known: StoryKnowledge, report: IncidentSignature): StoryKnowledge {
  const next: StoryKnowledge = {
    ...known,
    places: [...new Set([...known.places, ...placesOf(report)])],
  };
  for (const [field] of FIGURES) {
    const value = report.facts[field];
    if (value !== undefined) next[field] = value;
  }
  if (report.facts.claimed) next.claimed = true;
  return next;
}

/** Every place the report names and every place containing one. */
function placesOf(report: IncidentSignature): string[] {
  return [...report.sites, ...report.areas];
}
