import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, test } from "vitest";
import { HostGate } from "../../../src/feeds/host-gate.ts";

function tracker() {
  let active = 0;
  let peak = 0;
  const starts: number[] = [];
  return {
    starts,
    get peak() {
      return peak;
    },
    task: (ms: number, label?: string, order?: string[]) => async () => {
      active++;
      peak = Math.max(peak, active);
      starts.push(Date.now());
      if (label && order) order.push(label);
      await sleep(ms);
      active--;
      return label;
    },
  };
}

describe("HostGate", () => {
  test("never runs more than the limit against one host at once", async () => {
    const gate = new HostGate({ maxConcurrentPerHost: 2, minSpacingMs: 0 });
    const t = tracker();
    await Promise.all(Array.from({ length: 8 }, () => gate.run("feeds.example.org", t.task(20))));
    expect(t.peak).toBe(2);
    expect(t.starts).toHaveLength(8);
  });

  test("a busy host does not hold up another host", async () => {
    const gate = new HostGate({ maxConcurrentPerHost: 1, minSpacingMs: 0 });
    const finished: string[] = [];
    const slow = Array.from({ length: 3 }, () =>
      gate.run("slow.example.org", () => sleep(100)).then(() => finished.push("slow")),
    );
    await gate.run("fast.example.org", async () => {}).then(() => finished.push("fast"));
    await Promise.all(slow);
    // Ordered, not timed: the other host's task is done before the first slow one ends.
    expect(finished).toEqual(["fast", "slow", "slow", "slow"]);
  });

  test("spaces the starts of requests to one host", async () => {
    const gate = new HostGate({ maxConcurrentPerHost: 5, minSpacingMs: 40 });
    const t = tracker();
    await Promise.all(Array.from({ length: 4 }, () => gate.run("a.example.org", t.task(1))));
    const gaps = t.starts.slice(1).map((s, i) => s - (t.starts[i] ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(38); // timer granularity
  });

  test("hosts are compared case-insensitively", async () => {
    const gate = new HostGate({ maxConcurrentPerHost: 1, minSpacingMs: 0 });
    const t = tracker();
    await Promise.all([
      gate.run("A.example.org", t.task(20)),
      gate.run("a.example.org", t.task(20)),
    ]);
    expect(t.peak).toBe(1);
  });

  test("serves waiting requests in arrival order", async () => {
    const gate = new HostGate({ maxConcurrentPerHost: 1, minSpacingMs: 0 });
    const t = tracker();
    const order: string[] = [];
    await Promise.all(["1", "2", "3", "4"].map((n) => gate.run("h", t.task(5, n, order))));
    expect(order).toEqual(["1", "2", "3", "4"]);
  });

  test("a failing request frees its slot and its error reaches the caller", async () => {
    const gate = new HostGate({ maxConcurrentPerHost: 1, minSpacingMs: 0 });
    await expect(gate.run("h", async () => Promise.reject(new Error("boom")))).rejects.toThrow(
      "boom",
    );
    await expect(gate.run("h", async () => "next")).resolves.toBe("next");
    expect(gate.busyHosts).toBe(0);
  });
});
