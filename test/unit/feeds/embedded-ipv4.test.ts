import { expect, test } from "vitest";
import { parseConfigText } from "../../../src/config/load.ts";
import { ConfigError } from "../../../src/config/problem.ts";
import { isPublicAddress } from "../../../src/net/address-policy.ts";

// Every IPv6 spelling that carries an IPv4 address is judged by that address, or refused.
test.each([
  ["::7f00:1", "IPv4-compatible 127.0.0.1, as the URL parser writes [::127.0.0.1]"],
  ["::10.0.0.1", "IPv4-compatible private"],
  ["::808:808", "IPv4-compatible 8.8.8.8: all of ::/96 is refused"],
  ["::", "unspecified"],
  ["64:ff9b::127.0.0.1", "NAT64 of loopback"],
  ["64:ff9b::a9fe:a9fe", "NAT64 of the cloud metadata address"],
  ["64:ff9b:1::93.184.216.34", "local-use NAT64 prefix"],
  ["::ffff:0:127.0.0.1", "SIIT-translated loopback"],
  ["2002:7f00:1::1", "6to4 of loopback"],
  ["2002:c0a8:101::1", "6to4 of 192.168.1.1"],
  ["2001:0:4136:e378:8000:63bf:80ff:fffe", "Teredo whose client is 127.0.0.1"],
])("%s is refused (%s)", (address) => {
  expect(isPublicAddress(address)).toBe(false);
});

test("NAT64 of a public address is allowed: that is how an IPv6-only host reaches IPv4 publishers", () => {
  expect(isPublicAddress("64:ff9b::93.184.216.34")).toBe(true);
});

test("check refuses a webhook at http://[::127.0.0.1]:6379/", () => {
  const yaml = `watchlists:\n  - { id: w, title: W, query: rocket }\nsubscribers:\n  - { id: s, webhook: { url: "http://[::127.0.0.1]:6379/" }, watchlists: [w] }\n`;
  const problems = (() => {
    try {
      parseConfigText(yaml, "nw.yaml");
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
  })();
  expect(problems).toEqual([
    "nw.yaml: subscribers[0].webhook.url: ::7f00:1 is a private or reserved address (set security.allowPrivateNetworks to allow it) (line 4)",
  ]);
});
