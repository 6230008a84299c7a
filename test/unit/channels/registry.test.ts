import { describe, expect, test } from "vitest";
import type { Channel } from "../../../src/channels/channel.ts";
import { createChannelRegistry } from "../../../src/channels/registry.ts";

function fake(kind: string, closed: string[], failClose = false): Channel<unknown> {
  return {
    kind,
    send: async () => ({ channel: kind, detail: "ok" }),
    close: async () => {
      closed.push(kind);
      if (failClose) throw new Error(`${kind} failed to close`);
    },
  };
}

describe("channel registry", () => {
  test("finds each channel by its kind", () => {
    const closed: string[] = [];
    const registry = createChannelRegistry([fake("email", closed), fake("webhook", closed)]);
    expect(registry.get("webhook").kind).toBe("webhook");
    expect(registry.kinds).toEqual(["email", "webhook"]);
  });

  test("refuses two channels of the same kind", () => {
    expect(() => createChannelRegistry([fake("email", []), fake("email", [])])).toThrow(
      /two channels.*"email"/,
    );
  });

  test("an unknown kind names the kinds it knows", () => {
    expect(() => createChannelRegistry([fake("email", [])]).get("sms")).toThrow(
      /no channel for kind "sms" \(known: email\)/,
    );
  });

  test("closeAll closes every channel even when one fails, then reports the failure", async () => {
    const closed: string[] = [];
    const registry = createChannelRegistry([fake("email", closed, true), fake("webhook", closed)]);
    await expect(registry.closeAll()).rejects.toThrow(/email failed to close/);
    expect(closed.sort()).toEqual(["email", "webhook"]);
  });
});
