/**
 * Linear-time helpers for skipping sections of markup. Lazy regexes like /<!--[\s\S]*?-->/g
 * rescan to the end of the text for every unclosed opener, which turns 10 MiB of "<!--" into
 * hours of CPU; finding the closer with indexOf once per opener keeps every pass linear.
 */

/** Index just past `closer` searched from `from`, or -1 when it never comes. */
export function endOf(text: string, from: number, closer: string): number {
  const i = text.indexOf(closer, from);
  return i < 0 ? -1 : i + closer.length;
}

/**
 * Replaces each section that starts with a match of `opener` (a global regex) and ends with
 * the closer `closerFor` names. An unclosed section is handed to `replace` with its end at the
 * end of the text when `unclosed` is "to-end", or left as it is ("keep").
 * `haystack` is where closers are searched (a lower-cased copy for case-insensitive tags).
 */
export function replaceSections(
  text: string,
  opener: RegExp,
  closerFor: (match: RegExpExecArray) => string,
  replace: (section: string, match: RegExpExecArray) => string,
  opts: { unclosed: "to-end" | "keep"; haystack?: string } = { unclosed: "keep" },
): string {
  const haystack = opts.haystack ?? text;
  let out = "";
  let pos = 0;
  opener.lastIndex = 0;
  for (let m = opener.exec(haystack); m; m = opener.exec(haystack)) {
    const start = m.index;
    const closer = closerFor(m);
    let end = endOf(haystack, start + m[0].length, closer);
    // An end tag closer ("</script") runs on to its ">", past any spaces or junk in between.
    if (end >= 0 && closer.startsWith("</")) end = endOf(haystack, end, ">");
    if (end < 0) {
      if (opts.unclosed === "keep") break;
      end = text.length;
    }
    out += text.slice(pos, start) + replace(text.slice(start, end), m);
    pos = end;
    opener.lastIndex = end;
    if (end >= text.length) break;
  }
  return out + text.slice(pos);
}
