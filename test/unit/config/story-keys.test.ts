import { expect, test } from "vitest";
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

test("story, corroboration and storm keys get their defaults", () => {
  const { config } = parseConfigText(
    `feeds:\n  - { id: a, url: "https://a.example/rss", group: wires }\nwatchlists:\n  - { id: w, title: W, query: rocket, minSources: 2 }\nsubscribers:\n  - { id: s, email: s@example.org, watchlists: [{ id: w, updates: none }] }\n`,
    "x.yaml",
  );
  expect(config.defaults.incidentWindow).toBe(12 * 3_600_000);
  expect(config.defaults.maxItemsPerFetch).toBe(5000);
  expect(config.feeds[0]?.group).toBe("wires");
  expect(config.watchlists[0]).toMatchObject({ minSources: 2 });
  expect(config.subscribers[0]).toMatchObject({ updateInterval: 1_800_000 });
  expect(config.subscribers[0]?.maxPerHour).toBeUndefined(); // the default cap, 20, applies
});

test("each bad story key is named with its path and what is wrong", () => {
  const found = problems(
    [
      "defaults: { incidentWindow: soon }",
      "watchlists:",
      "  - { id: w, title: W, query: rocket, minSources: 0, corroborateWithin: later }",
      "subscribers:",
      "  - { id: s, email: s@example.org, updates: sometimes, updateInterval: 5, maxPerHour: lots, watchlists: [{ id: w, updates: always }] }",
      "",
    ].join("\n"),
  );
  const text = found.join("\n");
  expect(text).toMatch(/defaults\.incidentWindow: "soon" is not a duration/);
  expect(text).toMatch(/watchlists\[0\]\.minSources: /);
  expect(text).toMatch(/watchlists\[0\]\.corroborateWithin: "later" is not a duration/);
  expect(text).toMatch(/subscribers\[0\]\.updates: .*"none"\|"digest"\|"immediate"/);
  expect(text).toMatch(/subscribers\[0\]\.updateInterval: /);
  expect(text).toMatch(/subscribers\[0\]\.maxPerHour: /);
  expect(text).toMatch(/subscribers\[0\]\.watchlists\[0\]/);
});
