import { describe, expect, test } from "vitest";
import { checkSubscription } from "../../../src/subscriptions/validate.ts";

const known = new Set(["iraq", "kurdistan"]);

describe("checkSubscription", () => {
  test("fills the config file's defaults and gives each watchlist its effective mode", () => {
    const check = checkSubscription(
      {
        email: "Desk@Example.ORG",
        mode: "digest",
        watchlists: ["iraq", { id: "kurdistan", mode: "immediate" }],
      },
      known,
    );
    expect(check).toEqual({
      ok: true,
      value: {
        email: "Desk@example.org",
        mode: "digest",
        schedule: "0 7 * * *",
        timezone: "UTC",
        watchlists: [
          { id: "iraq", mode: "digest" },
          { id: "kurdistan", mode: "immediate" },
        ],
      },
    });
  });

  test("refuses an address that could smuggle a second recipient", () => {
    const check = checkSubscription(
      { email: "a@example.org, b@example.org", watchlists: ["iraq"] },
      known,
    );
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.errors.email).toMatch(/only one address/);
  });

  test("refuses unknown fields, as the config file does", () => {
    const check = checkSubscription(
      { email: "a@example.org", watchlists: ["iraq"], admin: true },
      known,
    );
    expect(check.ok).toBe(false);
  });

  test("a schedule is checked in the subscriber's timezone and a watchlist may appear once", () => {
    const check = checkSubscription(
      {
        email: "a@example.org",
        watchlists: ["iraq", "iraq"],
        schedule: "61 7 * * *",
        timezone: "Asia/Baghdad",
      },
      known,
    );
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.errors.schedule).toMatch(/not a cron schedule/);
      expect(check.errors.watchlists).toMatch(/twice/);
    }
  });
});
