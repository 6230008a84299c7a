import { DeliveryError } from "./delivery-error.ts";

/** The fields nodemailer puts on the errors it raises (see nodemailer's NodemailerError). */
interface SmtpFailure {
  message?: string;
  code?: string;
  command?: string;
  response?: string;
  responseCode?: number;
  permanent?: boolean;
  originalCode?: string;
}

// Only a refusal of the recipient says the address is bad: RCPT replies, and nodemailer's
// EENVELOPE (no recipient accepted, or DATA refused before any content was sent). A 5xx after
// the content (EMESSAGE) refuses this message — spam or size filters, content the feed put in
// it — and must not suppress the subscriber, or a feed could switch off their email. A 5xx to
// anything else (MAIL FROM, AUTH) is about our own sender setup and suppresses no one either.
const RECIPIENT_COMMANDS = /^RCPT/i;

// RFC 3463 §3.2: an enhanced status X.1.XXX is "addressing status" — the server names the
// mailbox as the problem even when it only says so after DATA (late recipient checks).
const ADDRESS_STATUS = /^\s*5\d\d[ -]5\.1\.\d{1,3}\b/;

function refusesRecipient(e: SmtpFailure, detail: string): boolean {
  if (e.code === "EENVELOPE" || RECIPIENT_COMMANDS.test(e.command ?? "")) return true;
  return e.code === "EMESSAGE" && ADDRESS_STATUS.test(detail);
}

/**
 * Maps an SMTP send failure to what the queue should do. 4xx replies are transient by RFC 5321
 * (greylisting, mailbox full, rate limits); 5xx are final. A final refusal of the recipient means
 * this address should get no more mail until someone looks at it; a final refusal of one
 * message fails that delivery only.
 * Anything without an SMTP reply (refused connection, timeout, TLS failure) is retried.
 */
export function smtpDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = (err ?? {}) as SmtpFailure;
  const detail = (e.response ?? e.message ?? String(err)).trim();
  const code = e.responseCode;
  if (e.code === "EAUTH" || e.code === "ENOAUTH") {
    // Login problems are the operator's to fix; retrying lets queued mail go out once they have.
    return new DeliveryError(`SMTP login failed (check email.smtp credentials): ${detail}`, {
      permanent: false,
      cause: err,
    });
  }
  if (code !== undefined) {
    // nodemailer marks 503 (bad sequence) as not permanent: it is a session problem, not a refusal.
    const permanent = e.permanent ?? (code >= 500 && code !== 503);
    if (!permanent) {
      return new DeliveryError(`SMTP server answered ${code}, will retry: ${detail}`, {
        permanent: false,
        cause: err,
      });
    }
    if (!refusesRecipient(e, detail)) {
      return new DeliveryError(`SMTP server refused this message (${code}): ${detail}`, {
        permanent: true,
        cause: err,
      });
    }
    return new DeliveryError(`SMTP server refused the recipient (${code}): ${detail}`, {
      permanent: true,
      targetAction: "suppress",
      cause: err,
    });
  }
  const reason = e.originalCode ?? e.code ?? "error";
  return new DeliveryError(`SMTP connection failed (${reason}), will retry: ${detail}`, {
    permanent: false,
    cause: err,
  });
}
