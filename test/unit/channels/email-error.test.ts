import { expect, test } from "vitest";
import { smtpDeliveryError } from "../../../src/channels/email-error.ts";

// The shapes nodemailer's SMTP connection gives its errors (code, command, response).
const failure = (code: string, command: string, response: string) => ({
  code,
  command,
  response,
  responseCode: Number(response.slice(0, 3)),
});

test("a content refusal after DATA fails the message but keeps the address", () => {
  const err = smtpDeliveryError(failure("EMESSAGE", "DATA", "554 5.7.1 Message rejected as spam"));
  expect(err).toMatchObject({ permanent: true, targetAction: undefined });
});

test("a late recipient check after DATA (5.1.1) still suppresses the address", () => {
  const err = smtpDeliveryError(
    failure("EMESSAGE", "DATA", "550 5.1.1 <gone@example.org>: no such user"),
  );
  expect(err).toMatchObject({ permanent: true, targetAction: "suppress" });
});

test("a refused recipient at RCPT suppresses the address", () => {
  const err = smtpDeliveryError(failure("EENVELOPE", "RCPT TO", "550 No such user here"));
  expect(err).toMatchObject({ permanent: true, targetAction: "suppress" });
});
