import type { MatchedTerm, SnippetSegment } from "../model/alert.ts";
import type { MatchDocument } from "./document.ts";

const DEFAULT_MAX = 240;
/** Room for an author, a category or a feed id shown because the match is only there. */
const FIELD_MAX = 80;

/** Moves an offset to the nearest word boundary towards the outside, so no word is cut. */
function widenStart(text: string, at: number): number {
  let i = at;
  while (i > 0 && /\S/.test(text[i - 1] as string)) i--;
  return i;
}

function widenEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length && /\S/.test(text[i] as string)) i++;
  return i;
}

/** Appends a piece, merging it into the last segment when both are hits or both are not. */
function push(segments: SnippetSegment[], s: string, hit: boolean): void {
  if (s === "") return;
  const last = segments.at(-1);
  if (last && last.hit === hit) last.text += s;
  else segments.push({ text: s, hit });
}

/** A window of `text` around its first hit, at most about maxChars, every hit inside marked. */
function window(
  segments: SnippetSegment[],
  text: string,
  matched: MatchedTerm[],
  maxChars: number,
): void {
  const hits = matched.slice().sort((a, b) => a.start - b.start || b.end - a.end);
  const first = hits[0];
  let from = 0;
  if (first && text.length > maxChars) {
    // Put the first hit about a quarter into the window: some context before, more after.
    from = widenStart(
      text,
      Math.max(0, Math.min(first.start - Math.floor(maxChars / 4), text.length - maxChars)),
    );
  }
  let to = Math.min(text.length, from + maxChars);
  if (to < text.length) to = Math.max(widenStart(text, to), first ? first.end : 0);
  if (to <= from) to = widenEnd(text, Math.min(text.length, from + maxChars));

  if (from > 0) push(segments, "…", false);
  let at = from;
  for (const h of hits) {
    if (h.end <= at || h.start >= to) continue;
    const start = Math.max(h.start, at);
    const end = Math.min(h.end, to);
    push(segments, text.slice(at, start), false);
    push(segments, text.slice(start, end), true);
    at = end;
  }
  push(segments, text.slice(at, to).trimEnd(), false);
  if (to < text.length) push(segments, "…", false);
}

/**
 * A window of the content around its first hit (else of the title), with every hit inside the
 * window marked. Channels render `hit` segments as bold (HTML), markers (text) or as they are
 * (webhook JSON). When nothing matched in the title or content, the title is followed by the
 * author, categories or feed id that did match ("author: «Jane Doe»"), so the reader still
 * sees why the item was sent.
 */
export function buildSnippet(
  doc: MatchDocument,
  matched: MatchedTerm[],
  maxChars = DEFAULT_MAX,
): SnippetSegment[] {
  const inContent = matched.filter((m) => m.field === "content");
  const field = inContent.length > 0 ? "content" : "title";
  const hits = field === "content" ? inContent : matched.filter((m) => m.field === "title");
  const segments: SnippetSegment[] = [];
  const text = field === "content" ? doc.content : doc.title;
  if (text !== "") window(segments, text, hits, maxChars);
  if (hits.length > 0) return segments;

  const elsewhere: [kind: MatchedTerm["field"], values: string[]][] = [
    ["author", [doc.author]],
    ["category", doc.categories],
    ["feed", [doc.feedId]],
  ];
  for (const [kind, values] of elsewhere) {
    for (const value of values) {
      // Offsets are into one value; a category hit names its category by the text it covers.
      const inValue = matched.filter(
        (m) => m.field === kind && value.slice(m.start, m.end) === m.text,
      );
      if (inValue.length === 0) continue;
      push(segments, `${segments.length > 0 ? " · " : ""}${kind}: `, false);
      window(segments, value, inValue, FIELD_MAX);
    }
  }
  return segments;
}
