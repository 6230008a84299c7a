import { FetchError } from "./fetch-error.ts";
import { namedEntity } from "./html-entities.ts";
import { endOf } from "./scan.ts";

/**
 * Refuses documents whose DOCTYPE declares entities, before any parser sees them: that is what
 * billion-laughs and external-entity (XXE) documents need, and real feeds never do it. The
 * XML parser underneath (sax) does not expand such entities either; this makes the refusal
 * explicit, immediate and independent of the parser's version.
 */
export function refuseEntityDeclarations(xml: string): void {
  // Every DOCTYPE is looked at, not only the first: one inside a comment ahead of the real one
  // would otherwise hide it. Each search resumes past the last, so the pass stays linear.
  const doctypes = /<!DOCTYPE/gi;
  for (let m = doctypes.exec(xml); m; m = doctypes.exec(xml)) {
    const close = xml.indexOf(">", m.index);
    const open = xml.slice(m.index, close < 0 ? xml.length : close).indexOf("[");
    if (open < 0) {
      if (close < 0) return;
      doctypes.lastIndex = close;
      continue; // no internal subset
    }
    const from = m.index + open;
    const end = endOf(xml, from, "]");
    if (/<!ENTITY/i.test(xml.slice(from, end < 0 ? xml.length : end))) {
      throw new FetchError(
        "parse",
        "the document declares XML entities (a DOCTYPE with <!ENTITY>); refused without expanding them",
      );
    }
    if (end < 0) return;
    doctypes.lastIndex = end;
  }
}

const XML_PREDEFINED = new Set(["amp", "lt", "gt", "quot", "apos"]);
const NEXT = /&|<!\[CDATA\[|<!--/g;
const REFERENCE = /#[0-9]{1,8};|#[xX][0-9a-fA-F]{1,7};|[A-Za-z][A-Za-z0-9]{0,31};/y;

/**
 * Repairs the two things that most often make a real feed ill-formed XML, the way browsers
 * would read it: HTML named references (&nbsp;, &eacute;, declared only by the RSS 0.91 DTD
 * or not at all) become numeric references, and a bare "&" (as in "?a=1&b=2") becomes
 * "&amp;". CDATA sections and comments are left untouched. One linear pass.
 */
export function repairReferences(xml: string): string {
  let out = "";
  let pos = 0;
  NEXT.lastIndex = 0;
  for (let m = NEXT.exec(xml); m; m = NEXT.exec(xml)) {
    const at = m.index;
    if (m[0] !== "&") {
      const end = endOf(xml, at + m[0].length, m[0] === "<!--" ? "-->" : "]]>");
      if (end < 0) break; // unclosed: the parser will report it
      NEXT.lastIndex = end;
      continue;
    }
    REFERENCE.lastIndex = at + 1;
    const ref = REFERENCE.exec(xml)?.[0];
    out += xml.slice(pos, at) + repaired(ref);
    pos = at + 1 + (ref?.length ?? 0);
    NEXT.lastIndex = pos;
  }
  return out + xml.slice(pos);
}

function repaired(ref: string | undefined): string {
  if (ref === undefined) return "&amp;";
  if (ref.startsWith("#")) return `&${ref}`;
  const name = ref.slice(0, -1);
  if (XML_PREDEFINED.has(name)) return `&${ref}`;
  const ch = namedEntity(name);
  return ch === undefined ? `&amp;${ref}` : `&#${ch.codePointAt(0)};`;
}
