import { describe, expect, test } from "vitest";
import { canonicalUrl, titleFingerprint } from "../../../src/dedupe/story-key.ts";

describe("story keys", () => {
  test("tracking parameters, fragments, www., scheme and trailing slashes do not make a different story", () => {
    const a = canonicalUrl(
      "https://www.example.org/iraq/taji-rockets/?utm_source=rss&utm_medium=feed#comments",
    );
    const b = canonicalUrl("http://example.org/iraq/taji-rockets?fbclid=abc");
    expect(a).toBe("example.org/iraq/taji-rockets");
    expect(b).toBe(a);
  });

  test("parameters that choose the article are kept, in a stable order", () => {
    expect(canonicalUrl("https://example.org/view?id=42&lang=en")).toBe(
      canonicalUrl("https://example.org/view?lang=en&id=42"),
    );
    expect(canonicalUrl("https://example.org/view?id=42")).not.toBe(
      canonicalUrl("https://example.org/view?id=43"),
    );
  });

  test("wire copies with different punctuation, case and an outlet suffix share a title fingerprint", () => {
    const a = titleFingerprint("Two Katyusha rockets hit Taji military base north of Baghdad");
    const b = titleFingerprint(
      "Two Katyusha Rockets Hit Taji Military Base, North of Baghdad - Tigris Wire",
    );
    expect(a).not.toBeNull();
    expect(b).toBe(a);
    expect(
      titleFingerprint("Two Katyusha rockets hit Balad military base north of Baghdad"),
    ).not.toBe(a);
  });

  test("short titles are too common to merge stories", () => {
    expect(titleFingerprint("Breaking news")).toBeNull();
  });
});
