import { expect, test } from "vitest";
import { parseConfigText } from "../../../src/config/load.ts";
import { restartOnlyChanges } from "../../../src/config/restart-keys.ts";

const load = (yaml: string) => parseConfigText(yaml, "newswatch.yaml").config;

test("a reload names the changed settings that only a restart applies, and only those", () => {
  const before = load(`
email: { smtp: "smtp://mail.example.org:25" }
feeds: [{ id: a, url: "https://a.example.org/rss" }]
`);
  const after = load(`
email: { smtp: "smtp://other.example.org:25" }
security: { allowPrivateNetworks: true }
workers: { deliverConcurrency: 64 }
feeds: [{ id: b, url: "https://b.example.org/rss", every: 1h }]
defaults: { every: 5m }
`);
  expect(restartOnlyChanges(before, after)).toEqual([
    "email",
    "workers",
    "security.allowPrivateNetworks (webhooks)",
  ]);
  expect(restartOnlyChanges(before, before)).toEqual([]);
});
