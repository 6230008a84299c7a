import { setImmediate as tick } from "node:timers/promises";
import { describe, expect, test } from "vitest";
import { HostGate } from "../../../src/feeds/host-gate.ts";

const NOT_MODIFIED = { kind: "not-modified" } as const;
const FULL = { kind: "ok" } as const;
const MINUTE = 60_000;

/** A request whose answer the test gives when it chooses. */
function pending<T>() {
  let answer!: (value: T) => void;
  let started = false;
  const promise = new Promise<T>((resolve) => (answer = resolve));
  return {
    fn: () => {
      started = true;
      return promise;
    },
    answer: (value: T) => answer(value),
    get started() {
      return started;
    },
  };
}

describe("HostGate spacing, refunded by a 304", () => {
  test("50 requests answered 304 all go out under a one-minute spacing, never more than 2 at once", async () => {
    const gate = new HostGate({ maxConcurrentPerHost: 2, minSpacingMs: MINUTE });
    let active = 0;
    let peak = 0;
    const answered = await Promise.all(
      Array.from({ length: 50 }, () =>
        gate.run("feeds.example.org", async () => {
          active++;
          peak = Math.max(peak, active);
          await tick();
          active--;
          return NOT_MODIFIED;
        }),
      ),
    );
    // Spaced, this would take 49 minutes; refunded, it is done within the test's deadline.
    expect(answered).toHaveLength(50);
    expect(peak).toBe(2);
  });

  test("while the first request's answer is unknown the next waits; a 304 releases it at once", async () => {
    const gate = new HostGate({ maxConcurrentPerHost: 2, minSpacingMs: MINUTE });
    const first = pending<typeof NOT_MODIFIED>();
    const second = pending<typeof NOT_MODIFIED>();
    const firstDone = gate.run("a.example.org", first.fn);
    const secondDone = gate.run("a.example.org", second.fn);
    await tick();
    expect(first.started).toBe(true);
    expect(second.started).toBe(false); // the first may still be a full download
    first.answer(NOT_MODIFIED);
    await firstDone;
    await tick();
    expect(second.started).toBe(true);
    second.answer(NOT_MODIFIED);
    await secondDone;
  });

  test("after a full response the host waits out the spacing; after a 304 it does not", async () => {
    const gate = new HostGate({ maxConcurrentPerHost: 2, minSpacingMs: MINUTE });
    await gate.run("full.example.org", async () => FULL);
    await gate.run("quiet.example.org", async () => NOT_MODIFIED);
    expect(gate.waitFor("full.example.org")).toBeGreaterThan(MINUTE - 1000);
    expect(gate.waitFor("quiet.example.org")).toBe(0);
  });

  test("a failed request costs the spacing like a full response", async () => {
    const gate = new HostGate({ maxConcurrentPerHost: 2, minSpacingMs: MINUTE });
    await gate.run("quiet.example.org", async () => NOT_MODIFIED);
    await expect(
      gate.run("quiet.example.org", async () => Promise.reject(new Error("reset"))),
    ).rejects.toThrow("reset");
    expect(gate.waitFor("quiet.example.org")).toBeGreaterThan(MINUTE - 1000);
  });

  test("a host that answered 304 still gets at most its cap of slow requests at once", async () => {
    const gate = new HostGate({ maxConcurrentPerHost: 3, minSpacingMs: MINUTE });
    await gate.run("a.example.org", async () => NOT_MODIFIED);
    const requests = Array.from({ length: 6 }, () => pending<typeof NOT_MODIFIED>());
    const done = requests.map((r) => gate.run("a.example.org", r.fn));
    await tick();
    expect(requests.filter((r) => r.started)).toHaveLength(3);
    for (const r of requests) r.answer(NOT_MODIFIED);
    await Promise.all(done);
    expect(requests.every((r) => r.started)).toBe(true);
  });
});
