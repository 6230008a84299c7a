import { createRequire } from "node:module";
import type KeywordExtractor from "keyword-extractor";
import { scan, type Word } from "./analyze.ts";
import { checkQuery } from "./check.ts";
import { compileRules } from "./ruleset.ts";

let stopwords: Set<string> | null = null;

/** keyword-extractor's English stop words, loaded on the first suggestion, not with the rules. */
export function isStopword(term: string): boolean {
  stopwords ??= new Set(
    (createRequire(import.meta.url)("keyword-extractor") as typeof KeywordExtractor).getStopwords({
      language: "english",
    }),
  );
  return stopwords.has(term);
}
// Reporting verbs and filler that news copy repeats without saying what happened.
const FILLER = new Set(
  "said says told according reported report reports reuters ap afp news today yesterday monday tuesday wednesday thursday friday saturday sunday week year years people official officials two three four five".split(
    " ",
  ),
);

/** Lower-case words inside names: Ain al-Asad, Abu Bakr al-Baghdadi, Charles de Gaulle. */
const PARTICLES = new Set([
  "al",
  "el",
  "ad",
  "as",
  "de",
  "del",
  "da",
  "di",
  "du",
  "bin",
  "ibn",
  "van",
  "von",
  "la",
  "le",
]);

interface Occurrence {
  word: Word;
  surface: string;
  start: number;
  end: number;
  inTitle: boolean;
  /** Capitalised where a sentence does not start: a name or a place. */
  proper: boolean;
}

interface Candidate {
  /** As it goes into the query: a word, `prefix*`, or a "quoted phrase". */
  text: string;
  score: number;
  count: number;
  proper: boolean;
  inTitle: boolean;
  forms: string[];
}

const isUpper = (s: string): boolean => s !== s.toLowerCase() && s[0] === s[0]?.toUpperCase();

function occurrences(text: string, titleEnd: number): Occurrence[] {
  const { words, starts, ends } = scan(text);
  // A title In Title Case capitalises everything: its capitals say nothing about names.
  const titleWords = starts.filter((s) => s < titleEnd).length;
  const titleCaps = starts.filter((s, i) => s < titleEnd && isUpper(text.slice(s, ends[i]))).length;
  const titleCase = titleWords > 2 && titleCaps / titleWords > 0.6;
  return words.map((word, i) => {
    const start = starts[i] as number;
    const end = ends[i] as number;
    const surface = text.slice(start, end);
    const before = text.slice(ends[i - 1] ?? 0, start);
    const sentenceStart = i === 0 || /[.!?:\n"“]/.test(before) || start === titleEnd + 1;
    const inTitle = start < titleEnd;
    const proper = isUpper(surface) && !sentenceStart && !(inTitle && titleCase);
    return { word, surface, start, end, inTitle, proper };
  });
}

const usable = (w: Word): boolean =>
  w.term.length >= 3 && !/^\d+$/.test(w.term) && !isStopword(w.term) && !FILLER.has(w.term);

function commonPrefix(forms: string[]): string {
  let p = forms[0] ?? "";
  for (const f of forms) while (!f.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/** One candidate per stem: how often, where, and whether it reads as a name. */
function wordCandidates(occ: Occurrence[]): Candidate[] {
  const byStem = new Map<string, Occurrence[]>();
  for (const o of occ) {
    if (!usable(o.word)) continue;
    const list = byStem.get(o.word.stem);
    if (list) list.push(o);
    else byStem.set(o.word.stem, [o]);
  }
  return [...byStem.values()].map((list) => {
    const forms = [...new Set(list.map((o) => o.word.term))].sort();
    const proper =
      list.filter((o) => o.proper).length * 2 >= list.length && list.some((o) => o.proper);
    const inTitle = list.some((o) => o.inTitle);
    // Several inflections (rocket, rockets): a prefix keeps them all and their relatives.
    const prefix = commonPrefix(forms);
    const text = forms.length > 1 && prefix.length >= 4 ? `${prefix}*` : (forms[0] as string);
    const length = Math.min((forms[0] as string).length, 10) / 10;
    const score = list.length + (inTitle ? 2 : 0) + (proper ? 1.5 : 0) + length;
    return { text, score, count: list.length, proper, inTitle, forms };
  });
}

/** Runs of two or three capitalised words with only a space between: "Green Zone". */
function phraseCandidates(text: string, occ: Occurrence[]): Candidate[] {
  const found = new Map<string, Candidate>();
  for (let i = 0; i < occ.length; i++) {
    for (let n = 3; n >= 2; n--) {
      const run = occ.slice(i, i + n);
      const nameLike = (o: Occurrence, k: number) =>
        (o.proper && !isStopword(o.word.term)) ||
        (k > 0 && k < n - 1 && PARTICLES.has(o.word.term));
      if (run.length < n || !run.every(nameLike)) continue;
      const joined = run.every(
        (o, k) => k === 0 || /^[ -]$/.test(text.slice((run[k - 1] as Occurrence).end, o.start)),
      );
      if (!joined) continue;
      const phrase = run.map((o) => o.word.term).join(" ");
      const c = found.get(phrase);
      if (c) c.count++;
      else {
        const inTitle = run.some((o) => o.inTitle);
        found.set(phrase, {
          text: `"${phrase}"`,
          score: 0,
          count: 1,
          proper: true,
          inTitle,
          forms: [phrase],
        });
      }
      i += n - 1;
      break;
    }
  }
  for (const c of found.values()) c.score = 2 + c.count + (c.inTitle ? 2 : 0) + 1.5;
  return [...found.values()];
}

function reason(c: Candidate): string {
  const what = c.text.startsWith('"')
    ? "a name written as a phrase"
    : c.proper
      ? "capitalised (a name or place)"
      : "a key word";
  const times = `${c.count} mention${c.count === 1 ? "" : "s"}`;
  const forms = c.forms.length > 1 ? ` (${c.forms.join(", ")})` : "";
  return `${c.text}: ${what}, ${times}${forms}${c.inTitle ? ", in the title" : ""}`;
}

const group = (parts: Candidate[]): string =>
  parts.length === 1 ? (parts[0] as Candidate).text : `(${parts.map((p) => p.text).join(" OR ")})`;

/**
 * The keyword engine of suggest: used where no concept list applies (see suggest.ts).
 *
 * Proposes a watchlist query for stories like the given article (first line the title): what
 * happened (its most repeated key words) AND where or who (its names and places), each group
 * an OR so that the next report, worded differently, still matches. The query always parses
 * and always matches the article it came from.
 */
export function suggestQuery(text: string): { query: string; reasons: string[] } {
  const newline = text.indexOf("\n");
  const titleEnd = newline < 0 ? text.length : newline;
  const occ = occurrences(text, titleEnd);
  const words = wordCandidates(occ);
  const phrases = phraseCandidates(text, occ);
  // A word inside a chosen phrase is not offered again on its own.
  const phraseWords = new Set(phrases.flatMap((p) => p.forms[0]?.split(" ") ?? []));
  const byScore = (a: Candidate, b: Candidate) => b.score - a.score || a.text.localeCompare(b.text);
  const names = [
    ...phrases,
    ...words.filter((w) => w.proper && !w.forms.some((f) => phraseWords.has(f))),
  ]
    .sort(byScore)
    .slice(0, 3);
  const topics = words
    .filter((w) => !w.proper)
    .sort(byScore)
    .slice(0, 2);

  let groups: Candidate[][];
  if (names.length > 0 && topics.length > 0) groups = [topics, names];
  else {
    const all = [...names, ...topics].sort(byScore);
    groups = all.length >= 4 ? [all.slice(0, 2), all.slice(2, 4)] : [all.slice(0, 3)];
  }
  groups = groups.filter((g) => g.length > 0);
  if (groups.length === 0)
    return { query: "", reasons: ["no usable words: the text has no key words to watch for"] };

  let query =
    groups.length === 1
      ? (groups[0] as Candidate[]).map((c) => c.text).join(" OR ")
      : groups.map(group).join(" AND ");
  let chosen = groups.flat();
  if (!selfCheck(query, text, titleEnd)) {
    // Should not happen; fall back to the plainest query that still says something.
    chosen = chosen.filter((c) => !c.text.startsWith('"')).slice(0, 3);
    query = chosen.map((c) => c.text).join(" OR ");
  }
  const reasons =
    groups.length === 2 && chosen.length === groups.flat().length
      ? [
          "what happened (any of):",
          ...(groups[0] as Candidate[]).map((c) => `  ${reason(c)}`),
          "where or who (any of):",
          ...(groups[1] as Candidate[]).map((c) => `  ${reason(c)}`),
        ]
      : chosen.map(reason);
  return { query, reasons };
}

function selfCheck(query: string, text: string, titleEnd: number): boolean {
  if (checkQuery(query, {}).error) return false;
  const { ruleSet } = compileRules([{ id: "s", query }], {});
  const doc = {
    feedId: "",
    title: text.slice(0, titleEnd),
    content: text.slice(titleEnd + 1),
    author: "",
    categories: [],
  };
  return ruleSet.match(doc).length === 1;
}
