import { describe, expect, test } from "vitest";
import { validateEmailAddress } from "../../../src/channels/email-address.ts";

function reasonFor(input: string): string {
  const r = validateEmailAddress(input);
  if (r.ok) throw new Error(`expected ${JSON.stringify(input)} to be refused, got ${r.address}`);
  return r.reason;
}

describe("validateEmailAddress", () => {
  test("a plain address is accepted as written, with surrounding spaces trimmed", () => {
    expect(validateEmailAddress(" ops@example.org ")).toEqual({
      ok: true,
      address: "ops@example.org",
    });
    expect(validateEmailAddress("first.last+alerts@mail.example.co.uk")).toEqual({
      ok: true,
      address: "first.last+alerts@mail.example.co.uk",
    });
  });

  test("the domain is lowercased and an internationalised domain becomes punycode", () => {
    expect(validateEmailAddress("Desk@Example.ORG")).toEqual({
      ok: true,
      address: "Desk@example.org",
    });
    expect(validateEmailAddress("desk@bücher.example")).toEqual({
      ok: true,
      address: "desk@xn--bcher-kva.example",
    });
  });

  test("a second recipient hidden after a comma or semicolon is refused", () => {
    expect(reasonFor("ops@example.org, attacker@evil.example")).toMatch(/only one address/);
    expect(reasonFor("ops@example.org;attacker@evil.example")).toMatch(/only one address/);
  });

  test("CR/LF header injection is refused", () => {
    expect(reasonFor("ops@example.org\r\nBcc: attacker@evil.example")).toMatch(/line break/);
    expect(reasonFor("ops@example.org\nX: y")).toMatch(/line break/);
  });

  test("display names and angle brackets are refused, even when the address inside is fine", () => {
    expect(reasonFor("Ops Desk <ops@example.org>")).toMatch(/display name/);
    expect(reasonFor("<ops@example.org>")).toMatch(/display name/);
    expect(reasonFor('"ops@example.org" <attacker@evil.example>')).toMatch(/display name/);
  });

  test("groups, quoted local parts and comments are refused", () => {
    expect(reasonFor("undisclosed:ops@example.org;")).toMatch(/only one address|groups/);
    expect(reasonFor("team:ops@example.org")).toMatch(/groups/);
    expect(reasonFor('"a@b"@evil.example')).toMatch(/quotes/);
    expect(reasonFor("ops(comment)@example.org")).toMatch(/comments/);
  });

  test("malformed addresses say what is wrong", () => {
    expect(reasonFor("")).toMatch(/empty/);
    expect(reasonFor("ops.example.org")).toMatch(/no @/);
    expect(reasonFor("ops@@example.org")).toMatch(/more than one @/);
    expect(reasonFor("@example.org")).toMatch(/nothing before/);
    expect(reasonFor("ops@")).toMatch(/nothing after/);
    expect(reasonFor("ops@localhost")).toMatch(/needs a dot/);
    expect(reasonFor("ops..desk@example.org")).toMatch(/double dot/);
    expect(reasonFor(".ops@example.org")).toMatch(/leading/);
    expect(reasonFor("ops desk@example.org")).toMatch(/whitespace/);
    expect(reasonFor("ops@[127.0.0.1]")).toMatch(/IP-literal/);
    expect(reasonFor("ops@10.0.0.1")).toMatch(/number/);
    expect(reasonFor("ops@-bad-.example")).toMatch(/not a valid domain/);
    expect(reasonFor(`${"a".repeat(65)}@example.org`)).toMatch(/64/);
  });
});
