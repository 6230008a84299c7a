import { foldWord, type ReportToken, tokenize } from "./incident-text.ts";
import type { IncidentVocabulary, PlaceHit } from "./incident-vocabulary.ts";

/** What one report says, reduced to what grouping and update detection compare. */
export interface IncidentSignature {
  /** When it happened as far as we know: the report's date, else when it was discovered (ms). */
  at: number;
  /** Event concepts. */
  what: string[];
  /** The finest places named (sites), and every place named or containing one (areas). */
  sites: string[];
  areas: string[];
  /** Capitalised words that are not known places or events: unknown places, groups, names. */
  names: string[];
  /** The names in the title: an unknown place there is where the report happened. */
  titleNames: string[];
  /** Folded content words of title and lede, for wire copies and close paraphrases. */
  words: string[];
  /** The title's own content words: copies of one report share their headline too. */
  titleWords: string[];
  facts: IncidentFacts;
}

/** The figures and claims a report states: an update that changes one of them is news. */
export interface IncidentFacts {
  killed?: number;
  wounded?: number;
  /** Rockets, missiles, drones or shells fired. */
  projectiles?: number;
  claimed?: boolean;
}

/** How much of the text counts: the title and the lede carry the what and the where. */
const LEDE_CHARS = 400;
const MAX_WORDS = 60;

const STOPWORDS = new Set(
  [
    "a an and are as at be been by for from has have he her his in into is it its of on or over",
    "says said say the their they this that to was were will with after amid near late early",
    "about than there which who while also other more most some two three one four five",
    "في من على الى عن ان مع هذا هذه التي الذي قد كان بعد قبل عند حيث اليوم امس ما لا",
  ]
    .join(" ")
    .split(" ")
    .map(foldWord),
);

/** Capitalised words that are institutions, days or nationalities, not places or actors. */
const NOT_NAMES = new Set(
  [
    "monday tuesday wednesday thursday friday saturday sunday january february march april may",
    "june july august september october november december us u s american americans iraqi iraqis",
    "kurdish islamic state ministry interior defence defense security media cell forces force",
    "army police prime minister president official officials spokesman reuters afp ap",
    "coalition international government command joint operations military al el the a an no",
    "base camp airport province city district town village north south east west central",
  ]
    .join(" ")
    .split(" ")
    .map(foldWord),
);

export function signatureOf(
  report: { title: string; text: string; at: number },
  vocabulary: IncidentVocabulary,
): IncidentSignature {
  const lede = report.text.length > LEDE_CHARS ? report.text.slice(0, LEDE_CHARS) : report.text;
  const titleTokens = tokenize(report.title);
  // A sentence break between them: the lede's first word starts a sentence.
  const tokens = [...titleTokens, ...tokenize(lede)];
  const placesIn = (ts: readonly ReportToken[]) =>
    vocabulary.where(ts).filter((p) => p.level !== "country");
  // The title says where the report is about; the lede also mentions places it is not about
  // ("hours after shells hit the Green Zone"). Its places count when the title names none.
  const titlePlaces = placesIn(titleTokens);
  const places = titlePlaces.length > 0 ? titlePlaces : placesIn(tokens);
  const allNames = namesOf(tokens, vocabulary);
  return {
    at: report.at,
    what: [...vocabulary.what(tokens)].sort(),
    sites: uniq(places.filter((p) => p.level === "site").map((p) => p.id)),
    areas: uniq(places.flatMap(areasOf)),
    names: allNames,
    titleNames: namesOf(titleTokens, vocabulary, allNames),
    words: contentWords(tokens),
    titleWords: contentWords(titleTokens),
    facts: factsOf(tokens, vocabulary),
  };
}

function areasOf(place: PlaceHit): string[] {
  return [place.id, ...place.within];
}

function uniq(values: string[]): string[] {
  return [...new Set(values)].sort();
}

function contentWords(tokens: readonly ReportToken[]): string[] {
  const words = tokens
    .map((t) => t.key)
    .filter((k) => (k.length >= 3 || /\d/.test(k)) && !STOPWORDS.has(k));
  return uniq(words).slice(0, MAX_WORDS);
}

/**
 * Capitalised words that name no known place or event. A sentence's first word counts only when it is
 * also written capitalised elsewhere (`known`): headlines often start with a name.
 */
function namesOf(
  tokens: readonly ReportToken[],
  vocabulary: IncidentVocabulary,
  known: readonly string[] = [],
): string[] {
  const places = vocabulary.where(tokens);
  const inPlace = new Set(places.flatMap((p) => range(p.span[0], p.span[1])));
  const names = tokens
    .filter(
      (t, i) =>
        !inPlace.has(i) &&
        (!t.sentenceStart || known.includes(t.key)) &&
        /^\p{Lu}/u.test(t.raw) &&
        t.key.length >= 3 &&
        !NOT_NAMES.has(t.key) &&
        !STOPWORDS.has(t.key) &&
        vocabulary.what([t]).size === 0,
    )
    .map((t) => t.key);
  return uniq(names);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

const NUMBER_WORDS: Record<string, number> = Object.fromEntries(
  Object.entries({
    one: 1,
    two: 2,
    three: 3,
    four: 4,
    five: 5,
    six: 6,
    seven: 7,
    eight: 8,
    nine: 9,
    ten: 10,
    eleven: 11,
    twelve: 12,
    dozen: 12,
    واحد: 1,
    اثنان: 2,
    اثنين: 2,
    ثلاثة: 3,
    اربعة: 4,
    خمسة: 5,
    ستة: 6,
    سبعة: 7,
    ثمانية: 8,
    تسعة: 9,
    عشرة: 10,
  }).map(([w, n]) => [numberKey(w), n]),
);

/**
 * Number words are compared unstemmed: Porter turns "one" into "on", which would make every
 * "on Tuesday" a figure. Arabic ones get the light stem (ثلاثة, الثلاثة).
 */
function numberKey(raw: string): string {
  return /^[a-z]+$/i.test(raw) ? raw.toLowerCase() : foldWord(raw);
}

const fold = (words: string) => new Set(words.split(" ").map(foldWord));
const KILLED = fold(
  "killed killing dead death deaths died martyrs قتلى قتيل مقتل قتل شهداء استشهاد",
);
const WOUNDED = fold(
  "wounded wounding injured injuring injuries hurt جرحى جريح اصابة اصابات مصابين",
);
const CLAIM_VERB = fold("claimed claim claims تبنت تبنى يتبنى تتبنى اعلنت");
const RESPONSIBILITY = fold("responsibility مسؤولية مسؤوليتها");
// "No group has claimed it", "لم تتبن أي جهة": a claim verb after one of these is no claim.
const NEGATION = fold("no not none yet nobody لم ولم لا");

/** Number words and digits, and the word each number counts (up to three words on). */
function factsOf(tokens: readonly ReportToken[], vocabulary: IncidentVocabulary): IncidentFacts {
  const facts: IncidentFacts = {};
  tokens.forEach((t, i) => {
    const n = /^\d{1,4}$/.test(t.key) ? Number(t.key) : NUMBER_WORDS[numberKey(t.raw)];
    if (n === undefined) return;
    // "killed 2 and wounded 5": a figure right after its verb belongs to that verb.
    const before = tokens[i - 1];
    const verb = before ? factKind(before, vocabulary) : undefined;
    if (verb && verb !== "projectiles") {
      facts[verb] ??= n;
      return;
    }
    // "three rockets", "two soldiers were killed": the counted word follows.
    for (const next of tokens.slice(i + 1, i + 5)) {
      const kind = factKind(next, vocabulary);
      if (!kind) continue;
      facts[kind] ??= n;
      return;
    }
  });
  if (claimsResponsibility(tokens)) facts.claimed = true;
  return facts;
}

function claimsResponsibility(tokens: readonly ReportToken[]): boolean {
  if (!tokens.some((t) => RESPONSIBILITY.has(t.key))) return false;
  return tokens.some(
    (t, i) =>
      CLAIM_VERB.has(t.key) &&
      !tokens.slice(Math.max(0, i - 4), i).some((b) => NEGATION.has(b.key)),
  );
}

function factKind(
  token: ReportToken,
  vocabulary: IncidentVocabulary,
): "killed" | "wounded" | "projectiles" | undefined {
  if (KILLED.has(token.key)) return "killed";
  if (WOUNDED.has(token.key)) return "wounded";
  const what = vocabulary.what([token]);
  if (what.has("indirect-fire") || what.has("drone")) return "projectiles";
  return undefined;
}
