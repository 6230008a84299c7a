import { describe, expect, test } from "vitest";
import { matrixContent } from "../../../src/channels/matrix-content.ts";
import { presetRequest } from "../../../src/channels/webhook-presets.ts";
import { LinkBuilder } from "../../../src/subscriptions/tokens.ts";
import { opsDigest, tajiAlert } from "../../fixtures/alerts.ts";

const links = new LinkBuilder("https://news.example.org", "secret-for-unit-tests-0123456789");
const alert = tajiAlert();
const feedbackUrls = links.feedbackPair(alert.id, alert.watchlist.id, alert.subscriberId);
const ctx = { signal: new AbortController().signal, timezone: "UTC", feedbackUrls };

describe("every chat preset's alert carries the Useful and Not relevant links", () => {
  test("Slack puts them as links in a context line", () => {
    const { body } = presetRequest(
      "slack",
      "https://hooks.slack.com/x",
      { kind: "alert", alert },
      ctx,
    );
    expect(body).toContain(`<${feedbackUrls.useful}|Useful>`);
    expect(body).toContain(`<${feedbackUrls.notRelevant}|Not relevant>`);
  });

  test("Discord as markdown links in the embed, whatever the snippet's length", () => {
    const long = tajiAlert({ snippet: [{ text: "x ".repeat(2000), hit: false }] });
    const { body } = presetRequest(
      "discord",
      "https://discord.com/api/webhooks/x",
      { kind: "alert", alert: long },
      ctx,
    );
    const description = (JSON.parse(body) as { embeds: { description: string }[] }).embeds[0]
      ?.description;
    expect(description).toContain(`[Useful](${feedbackUrls.useful})`);
    expect(description).toContain(`[Not relevant](${feedbackUrls.notRelevant})`);
  });

  test("ntfy as two view actions", () => {
    const { body } = presetRequest("ntfy", "https://ntfy.sh/alerts", { kind: "alert", alert }, ctx);
    expect((JSON.parse(body) as { actions: unknown[] }).actions).toEqual([
      { action: "view", label: "Useful", url: feedbackUrls.useful },
      { action: "view", label: "Not relevant", url: feedbackUrls.notRelevant },
    ]);
  });

  test("Matrix in both the plain body and the HTML", () => {
    const content = matrixContent({ kind: "alert", alert }, ctx);
    expect(content.body).toContain(`Useful: ${feedbackUrls.useful}`);
    expect(content.formatted_body).toContain(`href="${feedbackUrls.notRelevant}"`);
  });

  test("digests and messages without feedback links carry none", () => {
    const digest = presetRequest(
      "slack",
      "https://hooks.slack.com/x",
      { kind: "digest", digest: opsDigest() },
      ctx,
    );
    expect(digest.body).not.toContain("/feedback");
    const plain = presetRequest(
      "ntfy",
      "https://ntfy.sh/alerts",
      { kind: "alert", alert },
      { signal: ctx.signal },
    );
    expect(plain.body).not.toContain("actions");
  });
});
