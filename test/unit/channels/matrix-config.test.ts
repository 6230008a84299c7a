import { describe, expect, test } from "vitest";
import { matrixChannel } from "../../../src/channels/matrix.ts";
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

const config = (matrix: string) =>
  `watchlists:\n  - { id: w, title: W, query: rocket }\nsubscribers:\n  - { id: ops, matrix: ${matrix}, watchlists: [w] }\n`;

describe("matrix settings", () => {
  test("a subscriber with only a Matrix room is valid", () => {
    const { config: loaded } = parseConfigText(
      config(
        `{ homeserver: "https://matrix.example.org", room: "!AbC:example.org", accessToken: syt_x }`,
      ),
      "newswatch.yaml",
    );
    expect(loaded.subscribers[0]?.matrix).toEqual({
      homeserver: "https://matrix.example.org",
      room: "!AbC:example.org",
      accessToken: "syt_x",
    });
  });

  test("check refuses a room alias and a missing token", () => {
    expect(
      problems(
        config(
          `{ homeserver: "https://matrix.example.org", room: "#news:example.org", accessToken: "" }`,
        ),
      ),
    ).toEqual([
      'newswatch.yaml: subscribers[0].matrix.room: must be a room id like "!AbCdEf:example.org" (not a #alias) (line 4)',
      "newswatch.yaml: subscribers[0].matrix.accessToken: must be the bot account's access token (line 4)",
    ]);
  });

  test("check refuses a homeserver at a literal private address unless private networks are allowed", () => {
    const yaml = config(
      `{ homeserver: "http://10.0.0.7", room: "!AbC:example.org", accessToken: syt_x }`,
    );
    expect(problems(yaml)).toEqual([
      "newswatch.yaml: subscribers[0].matrix.homeserver: 10.0.0.7 is a private or reserved address (set security.allowPrivateNetworks to allow it) (line 4)",
    ]);
    expect(problems(`security: { allowPrivateNetworks: true }\n${yaml}`)).toEqual([]);
  });

  test("a subscriber with no channel at all is told every channel it could use", () => {
    expect(problems(config("null").replace("matrix: null, ", ""))).toEqual([
      "newswatch.yaml: subscribers[0]: needs an email, a webhook or a Matrix room to deliver to (line 4)",
    ]);
  });

  test("what `subscribers --json` shows of a room leaves the access token out", () => {
    const shown = matrixChannel.summary({
      homeserver: "https://matrix.example.org",
      room: "!AbC:example.org",
      accessToken: "syt_secret",
    });
    expect(JSON.stringify(shown)).not.toContain("syt_secret");
    expect(shown).toEqual({ homeserver: "https://matrix.example.org", room: "!AbC:example.org" });
  });
});
