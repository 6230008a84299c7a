import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { Channel, SendContext } from "../../../src/channels/channel.ts";
import { DeliveryError } from "../../../src/channels/delivery-error.ts";
import { createEmailChannel, type EmailTarget } from "../../../src/channels/email.ts";
import { confirmNotice, opsDigest, tajiAlert } from "../../fixtures/alerts.ts";
import { onlyMail, type SmtpSink, startSmtpSink } from "./smtp-sink.ts";

const FROM = "Newswatch <alerts@newswatch.local>";
const PUBLIC_URL = "https://newswatch.example.org";
const target: EmailTarget = { address: "ops@example.org" };

function ctx(extra: Partial<SendContext> = {}): SendContext {
  return { signal: new AbortController().signal, ...extra };
}

async function sendFailure(promise: Promise<unknown>): Promise<DeliveryError> {
  const err = await promise.then(
    () => {
      throw new Error("expected the send to fail");
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DeliveryError);
  return err as DeliveryError;
}

let tmp: string;
let sinks: SmtpSink[];
let channels: Channel<EmailTarget>[];

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "nw-email-"));
  sinks = [];
  channels = [];
});

afterEach(async () => {
  await Promise.all(channels.map((c) => c.close()));
  await Promise.all(sinks.map((s) => s.close()));
  await rm(tmp, { recursive: true, force: true });
});

async function smtpChannel(
  opts: { rejectRcpt?: number; rejectTimes?: number; templatesDir?: string } = {},
) {
  const sink = await startSmtpSink({ rejectRcpt: opts.rejectRcpt, rejectTimes: opts.rejectTimes });
  sinks.push(sink);
  const channel = createEmailChannel({
    from: FROM,
    smtpUrl: sink.url,
    outboxDir: path.join(tmp, "outbox"),
    publicUrl: PUBLIC_URL,
    templatesDir: opts.templatesDir,
  });
  channels.push(channel);
  return { sink, channel };
}

function outboxChannel(outboxDir: string) {
  const channel = createEmailChannel({ from: FROM, outboxDir, publicUrl: PUBLIC_URL });
  channels.push(channel);
  return channel;
}

describe("email over SMTP", () => {
  test("the Taji alert arrives with its subject, stable Message-ID and one-click unsubscribe headers", async () => {
    const { sink, channel } = await smtpChannel();
    const receipt = await channel.send(
      { kind: "alert", alert: tajiAlert() },
      target,
      ctx({
        unsubscribeUrl: "https://newswatch.example.org/u/tok-1",
        manageUrl: "https://newswatch.example.org/m/tok-1",
      }),
    );
    expect(receipt.channel).toBe("email");
    expect(receipt.detail).toMatch(/^250/);

    expect(sink.received).toHaveLength(1);
    const mail = onlyMail(sink);
    expect(mail.mailFrom).toBe("alerts@newswatch.local");
    expect(mail.rcptTo).toEqual(["ops@example.org"]);
    expect(mail.parsed.subject).toBe(
      "[Rocket and drone attacks on bases in Iraq] Two Katyusha rockets hit Taji military base north of Baghdad",
    );
    expect(mail.parsed.messageId).toBe(
      "<a-ops-desk-iraq-base-attacks-3f9c2a@newswatch.example.org>",
    );
    const raw = mail.raw.toString("utf8");
    expect(raw).toMatch(/^List-Unsubscribe: <https:\/\/newswatch\.example\.org\/u\/tok-1>\r?$/m);
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    expect(mail.parsed.headers.get("auto-submitted")).toBe("auto-generated");
  });

  test("the body has a text and an HTML part with the highlighted snippet, source, time, link and terms", async () => {
    const { sink, channel } = await smtpChannel();
    await channel.send(
      { kind: "alert", alert: tajiAlert() },
      target,
      ctx({ timezone: "Asia/Baghdad", unsubscribeUrl: "https://newswatch.example.org/u/tok-1" }),
    );
    const { text = "", html } = onlyMail(sink).parsed;
    const htmlText = String(html);

    expect(text).toContain("Two «Katyusha» «rockets» struck the «Taji» military «base»");
    expect(htmlText).toContain(
      "Two <b>Katyusha</b> <b>rockets</b> struck the <b>Taji</b> military <b>base</b>",
    );
    for (const part of [text, htmlText]) {
      expect(part).toContain("Kurdistan24 English");
      // 21:40 UTC is 00:40 the next day in Baghdad (UTC+3).
      expect(part).toContain("25 Nov 2026, 00:40 (Asia/Baghdad)");
      expect(part).toContain("https://news.example.org/iraq/taji-rockets-2611");
      expect(part).toContain("katyusha, rockets, base, taji, baghdad");
      expect(part).toContain("Rudaw English");
      expect(part).toContain("https://newswatch.example.org/u/tok-1");
    }
    expect(htmlText).toContain("max-width:600px");
  });

  test("without a timezone, times are shown in UTC", async () => {
    const { sink, channel } = await smtpChannel();
    await channel.send({ kind: "alert", alert: tajiAlert() }, target, ctx());
    expect(onlyMail(sink).parsed.text).toContain("24 Nov 2026, 21:40 (UTC)");
  });

  test("a retried alert carries the same Message-ID, so the reader's client can tell it is the same message", async () => {
    const { sink, channel } = await smtpChannel();
    await channel.send({ kind: "alert", alert: tajiAlert() }, target, ctx());
    await channel.send({ kind: "alert", alert: tajiAlert() }, target, ctx());
    expect(sink.received.map((m) => m.parsed.messageId)).toEqual([
      "<a-ops-desk-iraq-base-attacks-3f9c2a@newswatch.example.org>",
      "<a-ops-desk-iraq-base-attacks-3f9c2a@newswatch.example.org>",
    ]);
  });

  test("a hostile title arrives escaped in HTML and cannot add a header", async () => {
    const { sink, channel } = await smtpChannel();
    const base = tajiAlert();
    const alert = tajiAlert({
      item: {
        ...base.item,
        title: 'Rockets <script>alert("x")</script> & more\r\nBcc: attacker@evil.example',
      },
      snippet: [{ text: "<img src=x onerror=alert(1)>", hit: true }],
    });
    await channel.send({ kind: "alert", alert }, target, ctx());
    const mail = onlyMail(sink);
    const html = String(mail.parsed.html);
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more");
    expect(html).not.toContain("<img");
    expect(html).toContain("<b>&lt;img src=x onerror=alert(1)&gt;</b>");
    expect(mail.parsed.subject).toBe(
      '[Rocket and drone attacks on bases in Iraq] Rockets <script>alert("x")</script> & more Bcc: attacker@evil.example',
    );
    expect(mail.parsed.headers.has("bcc")).toBe(false);
    expect(mail.rcptTo).toEqual(["ops@example.org"]);
  });

  test("a javascript: link from a feed is not made clickable", async () => {
    const { sink, channel } = await smtpChannel();
    const base = tajiAlert();
    const alert = tajiAlert({ item: { ...base.item, link: "javascript:alert(1)" } });
    await channel.send({ kind: "alert", alert }, target, ctx());
    expect(String(onlyMail(sink).parsed.html)).not.toContain("javascript:");
  });

  test("without an unsubscribe URL there are no List-Unsubscribe headers and no unsubscribe footer", async () => {
    const { sink, channel } = await smtpChannel();
    await channel.send({ kind: "alert", alert: tajiAlert() }, target, ctx());
    const mail = onlyMail(sink);
    expect(mail.parsed.headers.has("list-unsubscribe")).toBe(false);
    expect(mail.raw.toString("utf8")).not.toMatch(/List-Unsubscribe-Post/i);
    expect(mail.parsed.text).not.toContain("Unsubscribe");
  });

  test("the storm-cap note appears in both parts of the alert", async () => {
    const { sink, channel } = await smtpChannel();
    const note = "More than 20 alerts this hour: the rest go into your next digest.";
    await channel.send({ kind: "alert", alert: tajiAlert(), note }, target, ctx());
    expect(onlyMail(sink).parsed.text).toContain(note);
    expect(String(onlyMail(sink).parsed.html)).toContain(note);
  });

  test("a digest is one message grouped by watchlist, newest story first", async () => {
    const { sink, channel } = await smtpChannel();
    await channel.send(
      { kind: "digest", digest: opsDigest() },
      target,
      ctx({ timezone: "Asia/Baghdad", unsubscribeUrl: "https://newswatch.example.org/u/tok-1" }),
    );
    expect(sink.received).toHaveLength(1);
    const { parsed } = onlyMail(sink);
    expect(parsed.subject).toBe(
      "Newswatch digest: 3 new stories · 25 Nov 2026, 07:00 (Asia/Baghdad)",
    );
    expect(parsed.messageId).toBe("<d-ops-desk-2026-11-25T04@newswatch.example.org>");
    for (const part of [parsed.text ?? "", String(parsed.html)]) {
      const iraq = part.indexOf("Rocket and drone attacks on bases in Iraq");
      const taji = part.indexOf("Two Katyusha rockets hit Taji");
      const balad = part.indexOf("Drone attack reported at Balad air base");
      const kurdistan = part.indexOf("Kurdistan airports");
      const erbil = part.indexOf("Drone shot down near Erbil airport");
      expect(iraq).toBeGreaterThanOrEqual(0);
      expect([iraq, taji, balad, kurdistan, erbil]).toEqual(
        [...[iraq, taji, balad, kurdistan, erbil]].sort((a, b) => a - b),
      );
      expect(part).toContain("Rudaw English");
      expect(part).toContain("25 Nov 2026, 00:40 (Asia/Baghdad)");
    }
    expect(parsed.text).toContain("«Katyusha»");
    expect(parsed.text).toMatch(
      /Also reported by: Rudaw English <https:\/\/rudaw\.example\.net\/\S+>\n/,
    );
    expect(String(parsed.html)).toContain("<b>Katyusha</b>");
    expect(String(parsed.html)).toContain("max-width:600px");
  });

  test("a notice carries its subject, its text and the action link", async () => {
    const { sink, channel } = await smtpChannel();
    await channel.send({ kind: "notice", notice: confirmNotice() }, target, ctx());
    const { parsed } = onlyMail(sink);
    expect(parsed.subject).toBe("Confirm your newswatch subscription");
    expect(parsed.text).toContain("If that was you, confirm below");
    expect(parsed.text).toContain(
      "Confirm subscription: https://newswatch.example.org/confirm/tok123",
    );
    expect(String(parsed.html)).toContain('href="https://newswatch.example.org/confirm/tok123"');
  });

  test("an operator's template replaces only the file it overrides", async () => {
    const templatesDir = path.join(tmp, "templates");
    await mkdir(templatesDir);
    await writeFile(
      path.join(templatesDir, "alert.txt.mustache"),
      "ALERT {{title}} from {{feedTitle}}\n",
    );
    const { sink, channel } = await smtpChannel({ templatesDir });
    await channel.send({ kind: "alert", alert: tajiAlert() }, target, ctx());
    const { parsed } = onlyMail(sink);
    expect(parsed.text?.trim()).toBe(
      "ALERT Two Katyusha rockets hit Taji military base north of Baghdad from Kurdistan24 English",
    );
    expect(String(parsed.html)).toContain("<b>Katyusha</b>");
  });

  test("a broken template override stops the channel at start-up, naming the file", async () => {
    const templatesDir = path.join(tmp, "broken");
    await mkdir(templatesDir);
    await writeFile(
      path.join(templatesDir, "digest.html.mustache"),
      "<p>{{#sections}}never closed</p>",
    );
    expect(() =>
      createEmailChannel({ from: FROM, outboxDir: tmp, publicUrl: PUBLIC_URL, templatesDir }),
    ).toThrow(`${path.join(templatesDir, "digest.html.mustache")}: Unclosed section "sections"`);
  });

  test("a server answering 451 gives a retryable error", async () => {
    const { channel } = await smtpChannel({ rejectRcpt: 451 });
    const err = await sendFailure(
      channel.send({ kind: "alert", alert: tajiAlert() }, target, ctx()),
    );
    expect(err.permanent).toBe(false);
    expect(err.targetAction).toBeUndefined();
    expect(err.message).toMatch(/451/);
  });

  test("a greylisting server (451, then accepting) gets the same message on the retry", async () => {
    const { sink, channel } = await smtpChannel({ rejectRcpt: 451, rejectTimes: 1 });
    const err = await sendFailure(
      channel.send({ kind: "alert", alert: tajiAlert() }, target, ctx()),
    );
    expect(err.permanent).toBe(false);
    expect(sink.received).toHaveLength(0);
    await channel.send({ kind: "alert", alert: tajiAlert() }, target, ctx());
    expect(onlyMail(sink).parsed.messageId).toBe(
      "<a-ops-desk-iraq-base-attacks-3f9c2a@newswatch.example.org>",
    );
  });

  test("a server answering 550 gives a permanent error that suppresses the address", async () => {
    const { channel } = await smtpChannel({ rejectRcpt: 550 });
    const err = await sendFailure(
      channel.send({ kind: "alert", alert: tajiAlert() }, target, ctx()),
    );
    expect(err.permanent).toBe(true);
    expect(err.targetAction).toBe("suppress");
    expect(err.message).toMatch(/550/);
  });

  test("a refused connection gives a retryable error", async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const channel = createEmailChannel({
      from: FROM,
      smtpUrl: `smtp://127.0.0.1:${port}`,
      outboxDir: path.join(tmp, "outbox"),
      publicUrl: PUBLIC_URL,
    });
    channels.push(channel);
    const err = await sendFailure(
      channel.send({ kind: "alert", alert: tajiAlert() }, target, ctx()),
    );
    expect(err.permanent).toBe(false);
    expect(err.message).toMatch(/ECONNREFUSED/);
  });

  test("an invalid recipient is refused before anything is sent", async () => {
    const { sink, channel } = await smtpChannel();
    const err = await sendFailure(
      channel.send(
        { kind: "alert", alert: tajiAlert() },
        { address: "ops@example.org, boss@example.org" },
        ctx(),
      ),
    );
    expect(err.permanent).toBe(true);
    expect(sink.received).toHaveLength(0);
  });
});

describe("email into the outbox", () => {
  test("writes one parsable .eml named after the alert id, and a retry replaces it", async () => {
    const outbox = path.join(tmp, "outbox");
    const channel = outboxChannel(outbox);
    const receipt = await channel.send(
      { kind: "alert", alert: tajiAlert() },
      target,
      ctx({ unsubscribeUrl: "https://newswatch.example.org/u/tok-1" }),
    );
    await channel.send({ kind: "alert", alert: tajiAlert() }, target, ctx());
    const file = path.join(outbox, "a-ops-desk-iraq-base-attacks-3f9c2a.eml");
    expect(receipt.detail).toBe(`outbox ${file}`);
    expect(await readdir(outbox)).toEqual(["a-ops-desk-iraq-base-attacks-3f9c2a.eml"]);

    const parsed = await simpleParser(await readFile(file));
    expect(parsed.subject).toBe(
      "[Rocket and drone attacks on bases in Iraq] Two Katyusha rockets hit Taji military base north of Baghdad",
    );
    expect(parsed.messageId).toBe("<a-ops-desk-iraq-base-attacks-3f9c2a@newswatch.example.org>");
    expect(parsed.text).toContain("«Katyusha»");
    expect(String(parsed.html)).toContain("<b>Katyusha</b>");
  });

  test("an id with unsafe characters still gives one file inside the outbox", async () => {
    const outbox = path.join(tmp, "outbox");
    const channel = outboxChannel(outbox);
    await channel.send(
      { kind: "alert", alert: tajiAlert({ id: "../../etc/passwd:x" }) },
      target,
      ctx(),
    );
    const files = await readdir(outbox);
    expect(files).toHaveLength(1);
    expect(files[0]).not.toContain("/");
    expect(files[0]).toMatch(/\.eml$/);
  });

  test("an outbox that cannot be written gives a retryable error naming the path", async () => {
    // A regular file where the outbox directory should be: mkdir fails even for root.
    const blocker = path.join(tmp, "not-a-dir");
    await writeFile(blocker, "");
    const outbox = path.join(blocker, "outbox");
    const channel = outboxChannel(outbox);
    const err = await sendFailure(
      channel.send({ kind: "alert", alert: tajiAlert() }, target, ctx()),
    );
    expect(err.permanent).toBe(false);
    expect(err.message).toContain(
      `cannot write outbox file ${path.join(outbox, "a-ops-desk-iraq-base-attacks-3f9c2a.eml")}`,
    );
    expect(err.message).toMatch(/ENOTDIR|EEXIST/);
  });
});
