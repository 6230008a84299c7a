import { decodeHTMLStrict } from "entities";

/**
 * The character a named HTML reference stands for (name without & and ;), or undefined for a
 * name HTML does not define (WHATWG HTML §13.5, through `entities`) and for the few that stand
 * for two characters: callers write the answer back as one numeric reference.
 */
export function namedEntity(name: string): string | undefined {
  const ref = `&${name};`;
  const decoded = decodeHTMLStrict(ref);
  if (decoded === ref || [...decoded].length !== 1) return undefined;
  return decoded;
}
