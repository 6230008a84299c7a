import { describe, expect, test } from "vitest";
import { HostGate } from "../../../src/feeds/host-gate.ts";

describe("HostGate Retry-After hold", () => {
  test("a held host makes every request to it wait until the hold ends; other hosts do not", () => {
    const gate = new HostGate({ maxConcurrentPerHost: 2, minSpacingMs: 0 });
    const until = Date.now() + 60_000;
    gate.holdUntil("Feeds.Example.org", until);
    expect(gate.waitFor("feeds.example.org")).toBeGreaterThan(59_000);
    expect(gate.heldUntil("feeds.example.org")).toBe(until);
    expect(gate.waitFor("other.example.org")).toBe(0);
  });

  test("a shorter hold does not cut a longer one short, and a passed hold is forgotten", () => {
    const gate = new HostGate();
    const long = Date.now() + 60_000;
    gate.holdUntil("a.example.org", long);
    gate.holdUntil("a.example.org", Date.now() + 1000);
    expect(gate.heldUntil("a.example.org")).toBe(long);
    gate.holdUntil("b.example.org", Date.now() - 1);
    expect(gate.heldUntil("b.example.org")).toBeNull();
    expect(gate.waitFor("b.example.org")).toBe(0);
  });
});
