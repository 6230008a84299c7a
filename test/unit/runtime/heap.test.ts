import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { keepHeapNearLiveSize } from "../../../src/runtime/heap.ts";

describe("keepHeapNearLiveSize", () => {
  it("collects without handing a gc function to the program or to contexts made later", () => {
    keepHeapNearLiveSize();
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
    expect(runInNewContext("typeof gc")).toBe("undefined");
  });
});
