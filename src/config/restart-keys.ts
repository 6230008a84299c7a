import type { Config } from "./schema.ts";

/**
 * Settings a running process reads once, at start: its Redis connection, HTTP server,
 * channels (SMTP, sender, outbox, templates, webhook address policy), worker pools and host
 * gate. A reload swaps feeds, watchlists, subscribers, lists, admin recipients and the
 * per-poll defaults; these others need a restart, and a reload says so rather than pretend.
 */
const RESTART_ONLY: [name: string, read: (c: Config) => unknown][] = [
  ["redis", (c) => c.redis],
  ["http", (c) => c.http],
  ["email", (c) => c.email],
  ["workers", (c) => c.workers],
  ["security.allowPrivateNetworks (webhooks)", (c) => c.security.allowPrivateNetworks],
  ["defaults.maxConcurrentPerHost", (c) => c.defaults.maxConcurrentPerHost],
  ["defaults.hostSpacing", (c) => c.defaults.hostSpacing],
  ["defaults.incidentWindow", (c) => c.defaults.incidentWindow],
];

/** The restart-only settings that differ between two configs, by name. */
export function restartOnlyChanges(before: Config, after: Config): string[] {
  return RESTART_ONLY.filter(
    ([, read]) => JSON.stringify(read(before)) !== JSON.stringify(read(after)),
  ).map(([name]) => name);
}
