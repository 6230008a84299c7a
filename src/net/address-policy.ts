import ipaddr from "ipaddr.js";

/**
 * True when an IP address is a public unicast address that feeds and webhooks may reach.
 * Loopback, private (RFC 1918), link-local (including the 169.254.169.254 cloud metadata
 * service), unique-local (fc00::/7), CGNAT (100.64.0.0/10), multicast, reserved and the
 * IPv6 transition ranges are refused. IPv4-mapped IPv6 (::ffff:127.0.0.1) is judged as the
 * IPv4 address it carries, so it cannot be used to smuggle a private target through.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress()) {
    ip = (ip as ipaddr.IPv6).toIPv4Address();
  }
  return ip.range() === "unicast";
}

/** The URL schemes newswatch ever requests. */
export const ALLOWED_PROTOCOLS = new Set(["http:", "https:"]);
