import dns from "node:dns";
import type { LookupFunction } from "node:net";
import net from "node:net";
import { ALLOWED_PROTOCOLS, isPublicAddress } from "./address-policy.ts";

/** Raised when a host resolves to an address newswatch must not contact. */
export class BlockedAddressError extends Error {
  readonly code = "EBLOCKEDADDRESS";
  constructor(
    readonly hostname: string,
    readonly address: string,
  ) {
    super(
      `${hostname} resolves to ${address}, a private or reserved address (set security.allowPrivateNetworks to allow it)`,
    );
    this.name = "BlockedAddressError";
  }
}

/** The system resolver's shape (`dns.lookup` with `all: true`); tests script their own. */
export type Resolver = (
  hostname: string,
  options: dns.LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void,
) => void;

/**
 * A `lookup` for http(s).request that checks every resolved address before the socket
 * connects. Because the socket connects to exactly the address checked here, a DNS answer
 * that changes between check and connect (rebinding) cannot reach a private address, and
 * every redirect hop goes through the same check.
 */
export function guardedLookup(
  allowPrivateNetworks: boolean,
  resolve: Resolver = dns.lookup,
): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 0);
      const list = addresses as dns.LookupAddress[];
      const blocked = allowPrivateNetworks
        ? undefined
        : list.find((a) => !isPublicAddress(a.address));
      if (blocked) return callback(new BlockedAddressError(hostname, blocked.address), "", 0);
      if (options.all)
        return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      const first = list[0];
      if (!first)
        return callback(
          Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }),
          "",
          0,
        );
      callback(null, first.address, first.family);
    });
  };
}

/**
 * Checks what the lookup cannot: Node connects to IP-literal hosts without calling `lookup`,
 * so a URL like http://127.0.0.1/ or http://[::ffff:7f00:1]/ is judged here. The WHATWG URL
 * parser has already turned decimal and short forms (http://2130706433/, http://127.1/)
 * into dotted quads. Returns an error message, or null when the URL may be requested.
 */
export function refusedUrlReason(url: URL, allowPrivateNetworks: boolean): string | null {
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) {
    return `only http and https URLs are fetched, not ${url.protocol}`;
  }
  if (allowPrivateNetworks) return null;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (net.isIP(host) && !isPublicAddress(host)) {
    return `${host} is a private or reserved address (set security.allowPrivateNetworks to allow it)`;
  }
  return null;
}
