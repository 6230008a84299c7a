import { domainToASCII } from "node:url";

export type EmailAddressCheck = { ok: true; address: string } | { ok: false; reason: string };

// RFC 5322 dot-atom characters. Quoted local parts are valid mail syntax but are refused on
// purpose: they are how "a@b"@evil.example and similar tricks get an address past a naive check.
const ATEXT = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Accepts exactly one plain addr-spec (`local@domain`) and nothing else that mail syntax allows:
 * no display names or angle brackets, no lists (commas, semicolons), no groups, quotes,
 * comments or CR/LF. A subscriber address ends up in an SMTP envelope and a To header, so
 * anything that could smuggle a second recipient or a header is refused rather than parsed.
 * Returns the address with its domain lowercased and in ASCII (punycode).
 */
export function validateEmailAddress(input: string): EmailAddressCheck {
  const value = input.trim();
  if (value === "") return { ok: false, reason: "the address is empty" };
  if (/[\r\n]/.test(value)) return { ok: false, reason: "the address contains a line break" };
  if (/[,;]/.test(value))
    return { ok: false, reason: "only one address is allowed (found , or ;)" };
  if (/[<>]/.test(value)) {
    return {
      ok: false,
      reason: "write the bare address (name@example.org), without a display name or <>",
    };
  }
  if (/["()]/.test(value)) return { ok: false, reason: "quotes and (comments) are not allowed" };
  if (value.includes(":")) return { ok: false, reason: "groups (name: ...;) are not allowed" };
  if (/\s/.test(value)) return { ok: false, reason: "the address contains whitespace" };
  if (value.length > 254) return { ok: false, reason: "the address is longer than 254 characters" };

  const at = value.lastIndexOf("@");
  if (at === -1) return { ok: false, reason: "the address has no @" };
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.includes("@")) return { ok: false, reason: "the address has more than one @" };

  if (local === "") return { ok: false, reason: "nothing before the @" };
  if (local.length > 64)
    return { ok: false, reason: "the part before @ is longer than 64 characters" };
  if (!local.split(".").every((atom) => ATEXT.test(atom))) {
    return {
      ok: false,
      reason:
        "the part before @ has a character that is not allowed, or a leading, trailing or double dot",
    };
  }

  if (domain === "") return { ok: false, reason: "nothing after the @" };
  if (domain.startsWith("[")) return { ok: false, reason: "IP-literal domains are not allowed" };
  const ascii = domainToASCII(domain.toLowerCase());
  if (ascii === "") return { ok: false, reason: `"${domain}" is not a valid domain name` };
  const labels = ascii.split(".");
  if (labels.length < 2) return { ok: false, reason: `"${domain}" needs a dot (e.g. example.org)` };
  if (!labels.every((l) => LABEL.test(l))) {
    return { ok: false, reason: `"${domain}" is not a valid domain name` };
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? "")) {
    return { ok: false, reason: `"${domain}" ends in a number, not a top-level domain` };
  }
  return { ok: true, address: `${local}@${ascii}` };
}
