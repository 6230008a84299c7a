import {
  bestIncident,
  DEFAULT_GROUPING,
  type GroupingOptions,
  type IncidentProfile,
  profileOf,
  withReport,
} from "./incident-match.ts";
import { signatureOf } from "./incident-signature.ts";
import { builtInVocabulary, type IncidentVocabulary } from "./incident-vocabulary.ts";

export interface Report {
  id: string;
  title: string;
  text: string;
  /** ms since epoch */
  at: number;
}

/**
 * Groups reports into incidents the way the poll does, one report at a time in the order
 * they arrive (by time): each joins the best-fitting story open so far or opens its own.
 * Returns the story index of every report, in input order.
 */
export function groupReports(
  reports: readonly Report[],
  vocabulary: IncidentVocabulary = builtInVocabulary(),
  options: GroupingOptions = DEFAULT_GROUPING,
): Map<string, number> {
  const stories: { index: number; profile: IncidentProfile }[] = [];
  const storyOf = new Map<string, number>();
  const ordered = [...reports].sort((a, b) => a.at - b.at);
  for (const report of ordered) {
    const signature = signatureOf(report, vocabulary);
    const open = stories.filter((s) => Math.abs(s.profile.firstAt - report.at) <= options.windowMs);
    const best = bestIncident(signature, open, options);
    if (best) {
      best.profile = withReport(best.profile, signature);
      storyOf.set(report.id, best.index);
    } else {
      const index = stories.length;
      stories.push({ index, profile: profileOf(signature) });
      storyOf.set(report.id, index);
    }
  }
  return storyOf;
}

/** Pairwise precision and recall of a grouping against labels (the standard clustering pair counts). */
export function pairwiseScores(
  labels: ReadonlyMap<string, string>,
  predicted: ReadonlyMap<string, number>,
): { precision: number; recall: number; truePairs: number; predictedPairs: number } {
  const ids = [...labels.keys()];
  let both = 0;
  let truePairs = 0;
  let predictedPairs = 0;
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++) {
      const a = ids[i] as string;
      const b = ids[j] as string;
      const same = labels.get(a) === labels.get(b);
      const grouped = predicted.get(a) === predicted.get(b);
      if (same) truePairs++;
      if (grouped) predictedPairs++;
      if (same && grouped) both++;
    }
  return {
    precision: predictedPairs === 0 ? 1 : both / predictedPairs,
    recall: truePairs === 0 ? 1 : both / truePairs,
    truePairs,
    predictedPairs,
  };
}
