import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  /** SMTP envelope sender and recipients, as the server saw them. */
  mailFrom: string | false;
  rcptTo: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

export interface SmtpSink {
  url: string;
  received: ReceivedMail[];
  /** When each message was accepted (ms), in order. */
  receivedAt: number[];
  /** SMTP connections open now, and the most ever open at once. */
  connections: { open: number; max: number };
  close(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1 with a random port. `rejectRcpt` makes it refuse every
 * recipient with that reply code, the way a greylisting (451) or a strict (550) server does;
 * with `rejectTimes` it accepts after that many refusals. `rejectData` accepts the recipient
 * and refuses the message after its content, the way a spam or size filter does.
 */
export async function startSmtpSink(
  opts: {
    rejectRcpt?: number /** refuse only this many times, then accept */;
    rejectTimes?: number;
    /** reply code given after DATA, e.g. 554 "message rejected as spam" */
    rejectData?: number;
  } = {},
): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const receivedAt: number[] = [];
  const connections = { open: 0, max: 0 };
  let refusals = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onConnect(_session, callback) {
      connections.open++;
      connections.max = Math.max(connections.max, connections.open);
      callback();
    },
    onClose() {
      connections.open--;
    },
    onRcptTo(_address, _session, callback) {
      if (!opts.rejectRcpt) return callback();
      if (opts.rejectTimes !== undefined && refusals >= opts.rejectTimes) return callback();
      refusals++;
      const text = opts.rejectRcpt >= 500 ? "No such user here" : "Greylisted, try again later";
      const err = Object.assign(new Error(text), { responseCode: opts.rejectRcpt });
      callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (opts.rejectData) {
          const text = "5.7.1 Message rejected: content looks like spam";
          return callback(Object.assign(new Error(text), { responseCode: opts.rejectData }));
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            const { mailFrom, rcptTo } = session.envelope;
            receivedAt.push(Date.now());
            received.push({
              mailFrom: mailFrom ? mailFrom.address : false,
              rcptTo: rcptTo.map((r) => r.address),
              raw,
              parsed,
            });
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    receivedAt,
    connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The one message the sink received; fails the test when there is not exactly one. */
export function onlyMail(sink: SmtpSink): ReceivedMail {
  const [mail, ...rest] = sink.received;
  if (!mail || rest.length > 0)
    throw new Error(`expected exactly one message, got ${sink.received.length}`);
  return mail;
}
