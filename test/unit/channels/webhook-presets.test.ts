import { describe, expect, test } from "vitest";
import { presetRequest } from "../../../src/channels/webhook-presets.ts";
import type { Digest } from "../../../src/model/outgoing.ts";
import { opsDigest, tajiAlert } from "../../fixtures/alerts.ts";

const ctx = { signal: new AbortController().signal, timezone: "Asia/Baghdad" };

function bigDigest(stories: number): Digest {
  const digest = opsDigest();
  const first = digest.sections[0];
  if (!first) throw new Error("fixture changed");
  first.alerts = Array.from({ length: stories }, (_, i) =>
    tajiAlert({
      id: `a-${i}`,
      item: { ...tajiAlert().item, title: `Story ${i} ${"x".repeat(400)}` },
    }),
  );
  return digest;
}

interface SlackBody {
  text: string;
  blocks: { type: string; text?: { text: string }; elements?: { text: string }[] }[];
}

describe("slack digests", () => {
  test("list each watchlist with its stories, newest first", () => {
    const { body } = presetRequest(
      "slack",
      "https://hooks.slack.com/services/x",
      { kind: "digest", digest: opsDigest() },
      ctx,
    );
    const parsed = JSON.parse(body) as SlackBody;
    expect(parsed.text).toBe("Newswatch digest: 3 new stories · 25 Nov 2026, 07:00 (Asia/Baghdad)");
    const texts = parsed.blocks.map((b) => b.text?.text ?? "").join("\n");
    expect(texts.indexOf("Taji")).toBeLessThan(texts.indexOf("Balad"));
    expect(texts.indexOf("Balad")).toBeLessThan(texts.indexOf("Kurdistan airports"));
  });

  test("stay within Slack's 50 blocks and 3000 characters per section, saying how many were left out", () => {
    const digest = bigDigest(200);
    // Many small watchlists as well: their headings use up blocks too.
    for (let i = 0; i < 12; i++) {
      digest.sections.push({
        watchlist: { id: `w${i}`, title: `Watchlist ${i}` },
        alerts: [tajiAlert({ id: `w${i}` })],
      });
    }
    const { body } = presetRequest(
      "slack",
      "https://hooks.slack.com/services/x",
      { kind: "digest", digest },
      ctx,
    );
    const parsed = JSON.parse(body) as SlackBody;
    expect(parsed.blocks.length).toBeLessThanOrEqual(50);
    for (const b of parsed.blocks) expect((b.text?.text ?? "").length).toBeLessThanOrEqual(3000);
    const last = parsed.blocks[parsed.blocks.length - 1];
    const shown = parsed.blocks.filter((b) => b.text?.text.startsWith("*<https://")).length;
    expect(last?.elements?.[0]?.text).toBe(`and ${213 - shown} more stories`);
  });
});

describe("ntfy", () => {
  test("a digest lists story titles under their watchlist", () => {
    const req = presetRequest(
      "ntfy",
      "https://ntfy.sh/ops",
      { kind: "digest", digest: opsDigest() },
      ctx,
    );
    expect(req.url).toBe("https://ntfy.sh/");
    const body = JSON.parse(req.body) as { topic: string; message: string };
    expect(body.topic).toBe("ops");
    expect(body.message.split("\n")).toEqual([
      "Rocket and drone attacks on bases in Iraq:",
      "• Two Katyusha rockets hit Taji military base north of Baghdad",
      "• Drone attack reported at Balad air base",
      "Kurdistan airports:",
      "• Drone shot down near Erbil airport, officials say",
    ]);
  });

  test("a javascript: link never becomes the click target", () => {
    const alert = tajiAlert({ item: { ...tajiAlert().item, link: "javascript:alert(1)" } });
    const body = JSON.parse(
      presetRequest("ntfy", "https://ntfy.sh/ops", { kind: "alert", alert }, ctx).body,
    );
    expect(body.click).toBeUndefined();
  });
});

describe("discord", () => {
  test("markdown in a story's text is escaped so it cannot format or link itself", () => {
    const alert = tajiAlert({
      snippet: [{ text: "[click](https://evil.example) *bold*", hit: false }],
    });
    const body = JSON.parse(
      presetRequest(
        "discord",
        "https://discord.com/api/webhooks/1/x",
        { kind: "alert", alert },
        ctx,
      ).body,
    );
    expect(body.embeds[0].description).toContain(
      "\\[click\\]\\(https\\://evil.example\\) \\*bold\\*",
    );
  });
});
