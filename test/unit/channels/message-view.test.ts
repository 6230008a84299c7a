import { describe, expect, test } from "vitest";
import {
  alertSubject,
  digestView,
  formatTime,
  headerSafe,
  noticeView,
  safeLink,
} from "../../../src/channels/message-view.ts";
import { confirmNotice, opsDigest, tajiAlert } from "../../fixtures/alerts.ts";

const signal = new AbortController().signal;

describe("what email templates are given", () => {
  test("the alert subject is [watchlist title] item title", () => {
    expect(alertSubject(tajiAlert())).toBe(
      "[Rocket and drone attacks on bases in Iraq] Two Katyusha rockets hit Taji military base north of Baghdad",
    );
  });

  test("line breaks and control characters never reach a header", () => {
    expect(headerSafe("Rockets hit base\r\nBcc: attacker@evil.example")).toBe(
      "Rockets hit base Bcc: attacker@evil.example",
    );
    expect(headerSafe("tab\there\u0000and\u007fdel")).toBe("tab here and del");
  });

  test("times are shown in the subscriber's timezone, across a DST change", () => {
    expect(formatTime("2026-11-24T21:40:00.000Z", "Asia/Baghdad")).toBe(
      "25 Nov 2026, 00:40 (Asia/Baghdad)",
    );
    expect(formatTime("2026-07-01T12:00:00.000Z", "Europe/Berlin")).toBe(
      "1 Jul 2026, 14:00 (Europe/Berlin)",
    );
    expect(formatTime("2026-11-24T12:00:00.000Z", "Europe/Berlin")).toBe(
      "24 Nov 2026, 13:00 (Europe/Berlin)",
    );
  });

  test("an unknown timezone falls back to UTC instead of failing the send", () => {
    expect(formatTime("2026-11-24T21:40:00.000Z", "Mars/Olympus_Mons")).toBe(
      "24 Nov 2026, 21:40 (UTC)",
    );
    expect(formatTime(null, "UTC")).toBeNull();
    expect(formatTime("not a date", "UTC")).toBeNull();
  });

  test("only http and https links are kept", () => {
    expect(safeLink("https://news.example.org/a?b=1")).toBe("https://news.example.org/a?b=1");
    expect(safeLink("javascript:alert(1)")).toBeNull();
    expect(safeLink("data:text/html,<script>")).toBeNull();
    expect(safeLink("not a url")).toBeNull();
    expect(safeLink(null)).toBeNull();
  });

  test("a digest orders each watchlist's stories newest first and counts them", () => {
    const view = digestView(opsDigest(), { signal });
    expect(view.storyCount).toBe(3);
    expect(view.storiesLabel).toBe("3 new stories");
    expect(view.sections.map((s) => s.watchlistTitle)).toEqual([
      "Rocket and drone attacks on bases in Iraq",
      "Kurdistan airports",
    ]);
    expect(view.sections[0]?.entries.map((e) => e.title)).toEqual([
      "Two Katyusha rockets hit Taji military base north of Baghdad",
      "Drone attack reported at Balad air base",
    ]);
  });

  test("a digest shows times in the digest's timezone unless the context gives another", () => {
    const inDigestZone = digestView(opsDigest(), { signal });
    expect(inDigestZone.sections[0]?.entries[0]?.published).toBe(
      "25 Nov 2026, 00:40 (Asia/Baghdad)",
    );
    const inUtc = digestView(opsDigest(), { signal, timezone: "UTC" });
    expect(inUtc.sections[0]?.entries[0]?.published).toBe("24 Nov 2026, 21:40 (UTC)");
  });

  test("empty watchlist sections are left out of a digest", () => {
    const digest = opsDigest();
    const second = digest.sections[1];
    if (second) second.alerts = [];
    expect(digestView(digest, { signal }).sections).toHaveLength(1);
  });

  test("a notice's text becomes paragraphs and a non-web action link is dropped", () => {
    const view = noticeView(confirmNotice(), { signal });
    expect(view.paragraphs).toHaveLength(2);
    expect(view.action?.url).toBe("https://newswatch.example.org/confirm/tok123");
    const bad = noticeView(
      { ...confirmNotice(), action: { label: "x", url: "javascript:alert(1)" } },
      { signal },
    );
    expect(bad.action).toBeNull();
  });
});
