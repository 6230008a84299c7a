import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import type { Channel } from "../../../src/channels/channel.ts";
import { createEmailChannel, type EmailTarget } from "../../../src/channels/email.ts";
import { tajiAlert } from "../../fixtures/alerts.ts";
import { onlyMail, type SmtpSink, startSmtpSink } from "./smtp-sink.ts";

const target: EmailTarget = { address: "ops@example.org" };
let tmp: string;
let sink: SmtpSink;
let channel: Channel<EmailTarget>;

async function open(opts: { rejectData?: number } = {}) {
  sink = await startSmtpSink(opts);
  channel = createEmailChannel({
    from: "Newswatch <alerts@newswatch.local>",
    smtpUrl: sink.url,
    outboxDir: path.join(tmp, "outbox"),
    publicUrl: "https://newswatch.example.org",
    pool: false,
  });
}

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "nw-email-hostile-"));
});
afterEach(async () => {
  await channel?.close();
  await sink?.close();
  await rm(tmp, { recursive: true, force: true });
});

/** The header block of a raw message, unfolded lines kept as they were sent. */
function headerLines(raw: Buffer): string[] {
  const text = raw.toString("utf8");
  return text.slice(0, text.indexOf("\r\n\r\n")).split("\r\n");
}

const MEGABYTE_TITLES = {
  "one unbroken word": "A".repeat(1_000_000),
  "words in Arabic script": "صواريخ على قاعدة التاجي ".repeat(45_000),
};

for (const [kind, title] of Object.entries(MEGABYTE_TITLES)) {
  test(`a 1 MB item title (${kind}) arrives as a short Subject with every header line within 998 characters`, async () => {
    await open();
    const alert = tajiAlert();
    await channel.send(
      { kind: "alert", alert: { ...alert, item: { ...alert.item, title } } },
      target,
      { signal: AbortSignal.timeout(10_000) },
    );
    const mail = onlyMail(sink);
    const longest = Math.max(...headerLines(mail.raw).map((line) => line.length));
    expect(longest).toBeLessThanOrEqual(998);
    const subject = mail.parsed.subject ?? "";
    expect(subject.startsWith("[Rocket and drone attacks on bases in Iraq] ")).toBe(true);
    expect(subject.endsWith("…")).toBe(true);
    expect(Array.from(subject).length).toBeLessThanOrEqual(200);
  });
}

test("a server refusing the message after DATA (554) fails it permanently without suppressing the address", async () => {
  await open({ rejectData: 554 });
  const err = await channel
    .send({ kind: "alert", alert: tajiAlert() }, target, { signal: AbortSignal.timeout(10_000) })
    .catch((e: unknown) => e);
  expect(err).toMatchObject({ permanent: true, targetAction: undefined });
  expect(String(err)).toMatch(/554/);
});
