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

const WATCHLIST = "watchlists:\n  - { id: w, title: W, query: rocket }\n";

describe("config loading", () => {
  test("a minimal config gets every default", () => {
    const { config } = parseConfigText(
      `feeds:\n  - { id: k24, url: "https://example.org/rss" }\n`,
      "x.yaml",
    );
    expect(config.redis).toEqual({
      url: "redis://127.0.0.1:6379",
      prefix: "newswatch",
      cluster: false,
    });
    expect(config.defaults.every).toBe(600_000);
    expect(config.feeds[0]).toMatchObject({ id: "k24", enabled: true });
  });

  test("each problem names the file, the key path and the line", () => {
    const found = problems(
      `feeds:\n  - { id: k24, url: "https://example.org/rss", every: soon }\n${WATCHLIST}`,
    );
    expect(found).toEqual([
      'newswatch.yaml: feeds[0].every: "soon" is not a duration (use e.g. 30s, 10m, 2h, 7d) (line 2)',
    ]);
  });

  test("unknown keys, duplicate ids and unknown watchlists are all reported at once", () => {
    const found = problems(
      `feeds:\n  - { id: a, url: "https://a.org/rss" }\n  - { id: a, url: "https://b.org/rss" }\n${WATCHLIST}subscribers:\n  - { id: s, email: s@example.org, watchlists: [w, nope] }\n`,
    );
    expect(found).toContain(
      'newswatch.yaml: feeds[1].id: duplicate id "a" (first used by feeds[0]) (line 3)',
    );
    expect(found).toContain(
      'newswatch.yaml: subscribers[0].watchlists[1]: unknown watchlist "nope" (known: w) (line 7)',
    );
    expect(problems(`feeds: []\nfeeeds: []\n`)[0]).toMatch(
      /^newswatch.yaml: \(top level\): Unrecognized key: "feeeds"/,
    );
  });

  test("an unparsable query is refused with its column", () => {
    const found = problems("watchlists:\n  - { id: w, title: W, query: '(rocket OR drone' }\n");
    expect(found).toEqual([
      "newswatch.yaml: watchlists[0].query: expected ')' at column 17 (line 2)",
    ]);
  });

  test("REDIS_URL, NEWSWATCH_PREFIX and SMTP_URL override the file", () => {
    const { config } = parseConfigText("redis: { prefix: a }\n", "x.yaml", {
      REDIS_URL: "redis://10.0.0.5:6380",
      NEWSWATCH_PREFIX: "b",
      SMTP_URL: "smtp://mail:25",
    });
    expect(config.redis).toEqual({ url: "redis://10.0.0.5:6380", prefix: "b", cluster: false });
    expect(config.email.smtp).toBe("smtp://mail:25");
  });

  test("a query mixing OR with implicit AND loads, with a warning that shows how it is read", () => {
    const { warnings } = parseConfigText(
      "watchlists:\n  - { id: w, title: W, query: 'rocket base OR drone' }\n",
      "newswatch.yaml",
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^newswatch.yaml: watchlists\[0\]\.query: .*\(line 2\)$/);
    expect(warnings[0]).toContain("(rocket base) OR drone");
  });

  test("a public http:// publicUrl loads with a warning: one-click unsubscribe links must be https", () => {
    const warningsFor = (publicUrl: string) =>
      parseConfigText(`http: { publicUrl: "${publicUrl}" }\n`, "newswatch.yaml").warnings;
    const [warning, ...rest] = warningsFor("http://news.example.org");
    expect(rest).toEqual([]);
    expect(warning).toMatch(/^newswatch.yaml: http\.publicUrl: .*RFC 8058 requires .*https/);
    expect(warningsFor("https://news.example.org")).toEqual([]);
    expect(warningsFor("http://localhost:8787")).toEqual([]);
  });

  test("problems of shape and of meaning are reported together, in one run of check", () => {
    const yaml = [
      `http: { port: "eighty" }`,
      "feeds:",
      `  - { id: a, url: "https://a.example.org/rss", every: tenminutes }`,
      `  - { id: a, url: "https://b.example.org/rss" }`,
      `  - { id: c, url: "not a url" }`,
      "watchlists:",
      "  - { id: w, title: W, query: '(rocket AND' }",
      "subscribers:",
      "  - { id: s, email: not-an-email, watchlists: [nope] }",
      "  - { id: t, email: t@example.org, watchlists: [w] }",
      "",
    ].join("\n");
    const found = problems(yaml).map((p) => p.replace(/^newswatch.yaml: /, "").split(":")[0]);
    expect(found.sort()).toEqual(
      [
        "http.port",
        "feeds[0].every",
        "feeds[2].url",
        "feeds[1].id",
        "watchlists[0].query",
        "subscribers[0].email",
        "subscribers[0].watchlists[0]",
      ].sort(),
    );
  });

  test("a feed interval below defaults.minInterval loads with a warning naming the floor", () => {
    const { warnings } = parseConfigText(
      `feeds:\n  - { id: fast, url: "https://a.example.org/rss", every: 1m }\n  - { id: ok, url: "https://b.example.org/rss", every: 5m }\n`,
      "newswatch.yaml",
    );
    expect(warnings).toEqual([
      "newswatch.yaml: feeds[0].every: polled every 5m at most often: defaults.minInterval is the floor (lower it to poll this feed faster) (line 2)",
    ]);
  });

  test("a feed or webhook at a literal private address is refused unless private networks are allowed", () => {
    const yaml = `feeds:\n  - { id: a, url: "http://10.0.0.5/rss" }\n  - { id: b, url: "http://[::ffff:127.0.0.1]/rss" }\n`;
    expect(problems(yaml)).toEqual([
      "newswatch.yaml: feeds[0].url: 10.0.0.5 is a private or reserved address (set security.allowPrivateNetworks to allow it) (line 2)",
      "newswatch.yaml: feeds[1].url: ::ffff:7f00:1 is a private or reserved address (set security.allowPrivateNetworks to allow it) (line 3)",
    ]);
    expect(problems(`security: { allowPrivateNetworks: true }\n${yaml}`)).toEqual([]);
  });

  test("YAML syntax errors carry the line", () => {
    expect(problems("feeds:\n  - { id: a\n")[0]).toMatch(
      /^newswatch.yaml: YAML syntax: .*\(line 3, column 1\)$/,
    );
  });
});
