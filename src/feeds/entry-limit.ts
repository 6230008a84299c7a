/**
 * Cuts a feed document after its first `max` entries, so parsing a feed that suddenly lists
 * 50,000 items costs what parsing `max` costs: rss-parser (through xml2js) builds the whole
 * document tree in memory, several times the size of the text. The entries kept are the
 * first in the document, which publishers list newest first; the rest would only be
 * recorded without alerting anyway.
 *
 * The cut is made after the `max`-th closing `</item>` (RSS, RDF) or `</entry>` (Atom) and the
 * open elements are closed again: `</channel>` and the root for RSS 2.0, the root for RDF and
 * Atom. Elements listed after the entries are lost, which no poll reads. A literal closing tag
 * inside a CDATA section could make the cut unbalanced; the parse then fails as one feed's
 * error, as any malformed feed does.
 */
export function keepFirstEntries(
  text: string,
  format: "rss" | "rdf" | "atom",
  rootName: string,
  max: number,
): { text: string; cut: boolean } {
  const closing = format === "atom" ? "</entry>" : "</item>";
  let at = -1;
  for (let n = 0; n < max; n++) {
    at = text.indexOf(closing, at + 1);
    if (at < 0) return { text, cut: false };
  }
  const end = at + closing.length;
  if (text.indexOf(closing, end) < 0) return { text, cut: false };
  const tail = format === "rss" ? `</channel></${rootName}>` : `</${rootName}>`;
  return { text: text.slice(0, end) + tail, cut: true };
}
