import type { MatchedTerm, SnippetSegment } from "../alerts/alert.ts";
import type { MatchDocument } from "./document.ts";

const DEFAULT_MAX = 240;

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

/**
 * A window of the content around its first hit (else of the title), with every hit inside the
 * window marked. Channels render `hit` segments as bold (HTML), markers (text) or as they are
 * (webhook JSON).
 */
export function buildSnippet(
  doc: MatchDocument,
  matched: MatchedTerm[],
  maxChars = DEFAULT_MAX,
): SnippetSegment[] {
  const inContent = matched.filter((m) => m.field === "content");
  const field = inContent.length > 0 ? "content" : "title";
  const text = field === "content" ? doc.content : doc.title;
  const hits = (field === "content" ? inContent : matched.filter((m) => m.field === "title"))
    .slice()
    .sort((a, b) => a.start - b.start || b.end - a.end);
  if (text === "") return [];
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

  const segments: SnippetSegment[] = [];
  const push = (s: string, hit: boolean) => {
    if (s === "") return;
    const last = segments.at(-1);
    if (last && last.hit === hit) last.text += s;
    else segments.push({ text: s, hit });
  };
  if (from > 0) push("…", false);
  let at = from;
  for (const h of hits) {
    if (h.end <= at || h.start >= to) continue;
    const start = Math.max(h.start, at);
    const end = Math.min(h.end, to);
    push(text.slice(at, start), false);
    push(text.slice(start, end), true);
    at = end;
  }
  push(text.slice(at, to).trimEnd(), false);
  if (to < text.length) push("…", false);
  return segments;
}
