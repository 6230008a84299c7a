import { FetchError } from "./fetch-error.ts";
import { namedEntity } from "./html-entities.ts";

// An internal subset that declares entities: what billion-laughs and external-entity (XXE)
// documents need. Real feeds never declare entities, so refusing them costs nothing.
const ENTITY_DECLARATION = /<!DOCTYPE[^>[]*\[[\s\S]*?<!ENTITY/i;

/**
 * Refuses documents whose DOCTYPE declares entities, before any parser sees them. The XML
 * parser underneath (sax) does not expand such entities either; this makes the refusal
 * explicit, immediate and independent of the parser's version.
 */
export function refuseEntityDeclarations(xml: string): void {
  const doctype = xml.search(/<!DOCTYPE/i);
  if (doctype < 0) return;
  // Only the prolog can hold a DOCTYPE; the first element ends it.
  if (ENTITY_DECLARATION.test(xml.slice(doctype, doctype + 100_000))) {
    throw new FetchError(
      "parse",
      "the document declares XML entities (a DOCTYPE with <!ENTITY>); refused without expanding them",
    );
  }
}

const XML_PREDEFINED = new Set(["amp", "lt", "gt", "quot", "apos"]);
const SCAN =
  /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|&(#[0-9]{1,8};|#[xX][0-9a-fA-F]{1,7};|[A-Za-z][A-Za-z0-9]{0,31};)?/g;

/**
 * Repairs the two things that most often make a real feed ill-formed XML, the way browsers
 * would read it: HTML named references (&nbsp;, &eacute;, declared only by the RSS 0.91 DTD
 * or not at all) become numeric references, and a bare "&" (as in "?a=1&b=2") becomes
 * "&amp;". CDATA sections and comments are left untouched.
 */
export function repairReferences(xml: string): string {
  return xml.replace(SCAN, (match, ref?: string) => {
    if (!match.startsWith("&")) return match; // CDATA or comment
    if (ref === undefined) return "&amp;";
    if (ref.startsWith("#")) return match;
    const name = ref.slice(0, -1);
    if (XML_PREDEFINED.has(name)) return match;
    const ch = namedEntity(name);
    return ch === undefined ? `&amp;${ref}` : `&#${ch.codePointAt(0)};`;
  });
}
