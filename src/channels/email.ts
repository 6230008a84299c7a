import { createRequire } from "node:module";
import path from "node:path";
import type * as Nodemailer from "nodemailer";
import type { SendMailOptions } from "nodemailer/lib/mailer";
import { z } from "zod";
import { type Outgoing, updateAsAlert } from "../model/outgoing.ts";
import type { Channel, DeliveryReceipt, SendContext } from "./channel.ts";
import { DeliveryError } from "./delivery-error.ts";
import { validateEmailAddress } from "./email-address.ts";
import { smtpDeliveryError } from "./email-error.ts";
import { alertView, digestView, headerSafe, type LinksView, noticeView } from "./message-view.ts";
import { defineChannel, type TargetProblem } from "./module.ts";
import { writeOutboxFile } from "./outbox.ts";
import { loadEmailTemplates, type TemplateName } from "./templates.ts";

export interface EmailTarget {
  address: string;
}

export interface EmailChannelOptions {
  /** From header, e.g. "Newswatch <alerts@newswatch.local>". */
  from: string;
  /** smtp:// or smtps:// URL. Without it every message is written to `outboxDir` as an .eml file. */
  smtpUrl?: string;
  outboxDir: string;
  /** A directory whose `<name>.<html|txt>.mustache` files replace the shipped ones. */
  templatesDir?: string;
  /** Public base URL of this newswatch; its host names the Message-IDs. */
  publicUrl: string;
  /** Keep SMTP connections open between messages. @defaultValue true */
  pool?: boolean;
  /** Pooled connections at most. @defaultValue 5 */
  maxConnections?: number;
}

// nodemailer waits 2 minutes to connect and 10 minutes on an idle socket by default; a delivery
// job should fail and retry well before that.
const CONNECTION_TIMEOUT_MS = 15_000;
const GREETING_TIMEOUT_MS = 15_000;
const SOCKET_TIMEOUT_MS = 60_000;

/** Ids become Message-ID local parts and file names: keep letters, digits, - and _, hex-escape the rest. */
export function encodeId(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, (c) => `=${Buffer.from(c, "utf8").toString("hex")}`);
}

interface Composed {
  id: string;
  template: TemplateName;
  subject: string;
  view: LinksView;
  /** The message this one follows (an update follows the story's first alert). */
  replyTo?: string;
}

function compose(message: Outgoing, ctx: SendContext): Composed {
  switch (message.kind) {
    case "alert": {
      const view = alertView(message.alert, message.note, ctx);
      return { id: message.alert.id, template: "alert", subject: view.subject, view };
    }
    case "digest": {
      const view = digestView(message.digest, ctx);
      return { id: message.digest.id, template: "digest", subject: view.subject, view };
    }
    case "update": {
      const { update } = message;
      const asAlert = updateAsAlert(update);
      const view = alertView(asAlert.alert, asAlert.note, ctx);
      const subject = headerSafe(`Re: [${update.alert.watchlist.title}] ${update.storyTitle}`);
      return { id: update.id, template: "alert", subject, view, replyTo: update.alertId };
    }
    case "notice": {
      const view = noticeView(message.notice, ctx);
      return { id: message.notice.id, template: "notice", subject: view.subject, view };
    }
    default: {
      const never: never = message;
      throw new Error(`unknown message kind ${(never as { kind: string }).kind}`);
    }
  }
}

/**
 * Email by SMTP (pooled) or, without an SMTP URL, into an outbox directory as .eml files.
 * Each message goes to exactly one envelope recipient, carries a Message-ID derived from its own
 * id (so a retried alert is recognisably the same message) and, when the subscriber has an
 * unsubscribe link, the RFC 8058 one-click headers.
 */
export function createEmailChannel(opts: EmailChannelOptions): Channel<EmailTarget> {
  const templates = loadEmailTemplates(opts.templatesDir);
  const idDomain = messageIdDomain(opts.publicUrl);
  const transport = createTransport(opts);

  return {
    kind: "email",
    async send(message, target, ctx): Promise<DeliveryReceipt> {
      const checked = validateEmailAddress(target.address);
      if (!checked.ok) {
        throw new DeliveryError(
          `invalid recipient ${JSON.stringify(target.address)}: ${checked.reason}`,
          {
            permanent: true,
          },
        );
      }
      const composed = compose(message, ctx);
      const body = templates.render(composed.template, composed.view);
      const encodedId = encodeId(composed.id);
      const headers: Record<string, string> = {
        // RFC 3834: tells vacation responders not to answer an automatic message.
        "Auto-Submitted": "auto-generated",
      };
      const unsubscribe = composed.view.unsubscribeUrl;
      if (unsubscribe) {
        headers["List-Unsubscribe"] = `<${unsubscribe}>`;
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
      }
      const mail: SendMailOptions = {
        from: opts.from,
        to: checked.address,
        // Set explicitly so nothing in the headers can ever add a second SMTP recipient.
        envelope: { from: opts.from, to: [checked.address] },
        subject: composed.subject,
        messageId: `<${encodedId}@${idDomain}>`,
        text: body.text,
        html: body.html,
        headers,
        signal: ctx.signal,
      };
      if (composed.replyTo) {
        // RFC 5322 §3.6.4: a reply names its parent in In-Reply-To and References, which is
        // how mail clients thread the story's updates under its first alert.
        const parent = `<${encodeId(composed.replyTo)}@${idDomain}>`;
        mail.inReplyTo = parent;
        mail.references = [parent];
      }

      if (!opts.smtpUrl) {
        let raw: Buffer;
        try {
          const info = (await transport.sendMail(mail)) as { message: Buffer };
          raw = info.message;
        } catch (err) {
          throw new DeliveryError(`could not build the message: ${(err as Error).message}`, {
            permanent: false,
            cause: err,
          });
        }
        const file = await writeOutboxFile(opts.outboxDir, `${encodedId}.eml`, raw);
        return { channel: "email", detail: `outbox ${file}` };
      }
      try {
        const info = (await transport.sendMail(mail)) as { response?: string };
        return { channel: "email", detail: (info.response ?? "accepted").trim() };
      } catch (err) {
        throw smtpDeliveryError(err);
      }
    },
    async close() {
      transport.close();
    },
  };
}

interface Sender {
  sendMail(mail: SendMailOptions): Promise<unknown>;
  close(): void;
}

// Required when a sender is built, not at import: the config schema imports every channel
// module, and nodemailer costs about 85 ms and 13 MB at start in processes that never send.
const require = createRequire(import.meta.url);

function createTransport(opts: EmailChannelOptions): Sender {
  const nodemailer = require("nodemailer") as typeof Nodemailer;
  if (!opts.smtpUrl) {
    // The stream transport builds the exact bytes SMTP would send, for the outbox.
    return nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });
  }
  const smtp = {
    url: opts.smtpUrl,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: GREETING_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
  };
  if (opts.pool === false) return nodemailer.createTransport(smtp);
  return nodemailer.createTransport({
    ...smtp,
    pool: true,
    maxConnections: opts.maxConnections ?? 5,
    // nodemailer recycles a pooled connection after 100 messages; a new SMTP handshake per
    // hundred messages is measurable in a burst, and servers that want a limit say so (421).
    maxMessages: 1000,
  });
}

function messageIdDomain(publicUrl: string): string {
  try {
    const host = new URL(publicUrl).hostname.replace(/^\[|\]$/g, "");
    return /^[A-Za-z0-9.-]+$/.test(host) && host !== "" ? host : "newswatch";
  } catch {
    return "newswatch";
  }
}

function checkAddress(address: string, at: (string | number)[]): TargetProblem[] {
  const checked = validateEmailAddress(address);
  return checked.ok ? [] : [{ path: at, message: checked.reason }];
}

export const emailChannel = defineChannel({
  kind: "email",
  noun: "an email",
  field: z.string(),
  admin: {
    field: z.array(z.string()).default([]),
    targetsOf: (addresses: string[]) =>
      addresses.map((address) => ({ target: { address }, key: address })),
    check: (addresses: string[]) => addresses.flatMap((address, i) => checkAddress(address, [i])),
  },
  // Its own queue: the provider's send rate limits email without slowing the other channels.
  queue: "email",
  ratePerSecond: (settings) => settings.email.ratePerSecond,
  suppressible: true,
  offLabel: "suppressed",
  targetsOf: (address): EmailTarget[] => [{ address }],
  check: (address) => checkAddress(address, []),
  describe: (address) => address,
  summary: (address) => address,
  create: ({ settings, cwd }) =>
    createEmailChannel({
      from: settings.email.from,
      smtpUrl: settings.email.smtp,
      outboxDir: path.resolve(cwd, settings.email.outbox),
      templatesDir: settings.email.templates
        ? path.resolve(cwd, settings.email.templates)
        : undefined,
      publicUrl: settings.http.publicUrl,
      maxConnections: settings.email.maxConnections,
    }),
});
