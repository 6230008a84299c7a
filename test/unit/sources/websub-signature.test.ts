import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import { hubLinks, jsonFeedHubs } from "../../../src/sources/discover.ts";
import { validHubSignature } from "../../../src/websub/signature.ts";
import { pushPossible } from "../../../src/websub/subscription.ts";

const body = Buffer.from(
  "<rss><channel><item><title>Rocket hits base</title></item></channel></rss>",
);
const sign = (method: string, secret: string) =>
  `${method}=${createHmac(method, secret).update(body).digest("hex")}`;

describe("X-Hub-Signature", () => {
  test("sha1 (older hubs), sha256 and sha512 signatures of the raw body with our secret are accepted", () => {
    for (const method of ["sha1", "sha256", "sha512"])
      expect(validHubSignature(body, sign(method, "our-secret"), "our-secret")).toBe(true);
  });

  test("a signature with another secret, of another body, malformed, of an unknown method, or missing is refused", () => {
    expect(validHubSignature(body, sign("sha256", "guess"), "our-secret")).toBe(false);
    const other = Buffer.from(`${body.toString()} `);
    expect(validHubSignature(other, sign("sha256", "our-secret"), "our-secret")).toBe(false);
    expect(validHubSignature(body, "sha256=abc", "our-secret")).toBe(false);
    expect(validHubSignature(body, sign("md5", "our-secret"), "our-secret")).toBe(false);
    expect(validHubSignature(body, undefined, "our-secret")).toBe(false);
  });
});

describe("when push is possible", () => {
  test("a public publicUrl can be reached by a hub; a loopback or private one only with allowPrivateNetworks", () => {
    expect(pushPossible("https://newswatch.example.org/", false)).toBe(true);
    expect(pushPossible("http://localhost:8787", false)).toBe(false);
    expect(pushPossible("http://192.168.1.20:8787", false)).toBe(false);
    expect(pushPossible("http://127.0.0.1:8787", true)).toBe(true);
  });
});

describe("hubs a feed names", () => {
  test("RSS through atom:link, and JSON Feed through its hubs list", () => {
    const rss = `<?xml version="1.0"?><rss xmlns:atom="http://www.w3.org/2005/Atom"><channel>
      <atom:link rel="hub" href="https://hub.example.org/"/><atom:link rel="self" href="/feed.xml"/>
      </channel></rss>`;
    expect(hubLinks(rss, "https://wire.example.org/rss")).toEqual({
      hubs: ["https://hub.example.org/"],
      self: "https://wire.example.org/feed.xml",
    });
    const json = JSON.stringify({
      version: "https://jsonfeed.org/version/1.1",
      feed_url: "https://wire.example.org/feed.json",
      hubs: [
        { type: "rssCloud", url: "https://cloud.example" },
        { type: "WebSub", url: "https://hub.example.org/" },
      ],
      items: [],
    });
    expect(jsonFeedHubs(json, "https://wire.example.org/x")).toEqual({
      hubs: ["https://hub.example.org/"],
      self: "https://wire.example.org/feed.json",
    });
  });
});
