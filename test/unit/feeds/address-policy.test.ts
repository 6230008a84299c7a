import { describe, expect, test } from "vitest";
import { isPublicAddress } from "../../../src/net/address-policy.ts";
import { refusedUrlReason } from "../../../src/net/guarded-lookup.ts";

describe("which addresses feeds may reach", () => {
  test.each([
    "127.0.0.1",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254", // cloud metadata
    "100.64.0.1", // CGNAT
    "0.0.0.0",
    "::1",
    "fc00::1",
    "fe80::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "224.0.0.1",
  ])("%s is refused", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  test.each(["93.184.216.34", "2606:4700::6810:85e5", "::ffff:93.184.216.34"])(
    "%s is allowed",
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );
});

describe("URLs refused before any connection", () => {
  test.each([
    "http://127.0.0.1/feed",
    "http://2130706433/feed", // decimal 127.0.0.1
    "http://127.1/feed", // short form
    "http://0x7f000001/feed", // hex form
    "http://[::1]/feed",
    "http://[::ffff:7f00:1]/feed",
    "http://169.254.169.254/latest/meta-data/",
  ])("%s is refused unless private networks are allowed", (url) => {
    expect(refusedUrlReason(new URL(url), false)).toMatch(/private or reserved/);
    expect(refusedUrlReason(new URL(url), true)).toBeNull();
  });

  test.each(["file:///etc/passwd", "ftp://example.org/feed", "gopher://example.org/"])(
    "%s is never fetched",
    (url) => {
      expect(refusedUrlReason(new URL(url), true)).toMatch(/only http and https/);
    },
  );

  test("a public host name passes the URL check (its address is checked at connect time)", () => {
    expect(refusedUrlReason(new URL("https://news.example.org/feed"), false)).toBeNull();
  });
});
