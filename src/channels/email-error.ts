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

// Replies to these commands are about this recipient or this message; a 5xx to anything else
// (MAIL FROM, AUTH) is about our own sender setup and must not suppress the subscriber.
const RECIPIENT_COMMANDS = /^(RCPT|DATA)/i;

/**
 * Maps an SMTP send failure to what the queue should do. 4xx replies are transient by RFC 5321
 * (greylisting, mailbox full, rate limits); 5xx are final, and a final refusal of the recipient
 * or the message means this address should get no more mail until someone looks at it.
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
    const aboutRecipient = e.code === "EENVELOPE" || RECIPIENT_COMMANDS.test(e.command ?? "");
    return new DeliveryError(`SMTP server refused the message (${code}): ${detail}`, {
      permanent: true,
      targetAction: aboutRecipient ? "suppress" : undefined,
      cause: err,
    });
  }
  const reason = e.originalCode ?? e.code ?? "error";
  return new DeliveryError(`SMTP connection failed (${reason}), will retry: ${detail}`, {
    permanent: false,
    cause: err,
  });
}
