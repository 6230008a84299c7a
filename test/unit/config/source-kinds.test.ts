import { describe, expect, test } from "vitest";
import { parseConfigText } from "../../../src/config/load.ts";
import { ConfigError } from "../../../src/config/problem.ts";

function problems(yaml: string): string[] {
  try {
    parseConfigText(yaml, "newswatch.yaml");
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe("config of source kinds", () => {
  test("an invalid CSS selector names the feed and the selector key", () => {
    const found = problems(`feeds:
  - id: moi
    kind: html
    url: "https://moi.example.gov/news/"
    select: { item: ".news-item", title: "h3[" }
`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^newswatch\.yaml: feeds\[0\]\.select\.title: not a CSS selector the engine understands: .+ \(line 5\)$/,
    );
  });

  test("a telegram channel needs no url and polls its public preview page", () => {
    const { config } = parseConfigText(
      "feeds:\n  - { id: tg, kind: telegram, channel: sabereen_news }\n",
      "x.yaml",
    );
    expect(config.feeds[0]).toMatchObject({
      kind: "telegram",
      url: "https://t.me/s/sabereen_news",
    });
  });

  test("keys that belong to another kind, and missing ones, are reported", () => {
    expect(
      problems(`feeds:
  - { id: a, kind: telegram }
  - { id: b, channel: somechannel, url: "https://example.org/rss" }
  - { id: c, select: { item: li }, url: "https://example.org/" }
  - { id: d }
`),
    ).toEqual([
      "newswatch.yaml: feeds[0].channel: kind telegram needs a channel (line 2)",
      "newswatch.yaml: feeds[1].channel: only for kind: telegram (line 3)",
      "newswatch.yaml: feeds[2].select: only for kind: html (line 4)",
      "newswatch.yaml: feeds[3].url: is required (an http or https URL) (line 5)",
    ]);
  });

  test("check warns that a Telegram channel is polled every 5 minutes at most often", () => {
    const { warnings } = parseConfigText(
      "defaults: { minInterval: 1m }\nfeeds:\n  - { id: tg, kind: telegram, channel: frontline_watch, every: 2m }\n",
      "x.yaml",
    );
    expect(warnings).toEqual([
      "x.yaml: feeds[0].every: a Telegram channel is polled every 5m at most often: its web preview answers no conditional requests, so each poll downloads the whole page (line 3)",
    ]);
  });
});
