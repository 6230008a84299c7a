import ipaddr from "ipaddr.js";

/**
 * True when an IP address is a public unicast address that feeds and webhooks may reach.
 * Loopback, private (RFC 1918), link-local (including the 169.254.169.254 cloud metadata
 * service), unique-local (fc00::/7), CGNAT (100.64.0.0/10), multicast, reserved and the
 * IPv6 transition ranges are refused. IPv6 forms that carry an IPv4 address are judged by it
 * (see embeddedIPv4), so none of them can smuggle a private target through.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const ip = ipaddr.parse(address);
  if (ip.kind() === "ipv4") return ip.range() === "unicast";
  const v6 = ip as ipaddr.IPv6;
  const embedded = embeddedIPv4(v6);
  if (embedded === "refused") return false;
  if (embedded) return embedded.range() === "unicast";
  return v6.range() === "unicast";
}

/**
 * The IPv4 address an IPv6 address stands for, "refused" for forms never to be contacted, or
 * null for a plain IPv6 address. Written out here rather than left to ipaddr.js's range names:
 * it calls ::7f00:1 (the URL parser's spelling of [::127.0.0.1]) plain unicast.
 */
function embeddedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4 | "refused" | null {
  const p = ip.parts;
  const last32 = () => ipaddr.fromByteArray(ip.toByteArray().slice(12)) as ipaddr.IPv4;
  const zeros = (from: number, to: number) => p.slice(from, to).every((x) => x === 0);
  // ::/96, IPv4-compatible (RFC 4291 §2.5.5.1, deprecated): ::, ::1 and ::a.b.c.d alike; a
  // host may route them to its own IPv4 stack, and nothing public lives there.
  if (zeros(0, 6)) return "refused";
  // ::ffff:a.b.c.d, IPv4-mapped (RFC 4291 §2.5.5.2): the socket talks IPv4 to a.b.c.d.
  if (zeros(0, 5) && p[5] === 0xffff) return last32();
  // 64:ff9b::/96, NAT64 well-known prefix (RFC 6052): the gateway forwards to a.b.c.d, which
  // is how an IPv6-only host with DNS64 reaches IPv4-only publishers.
  if (p[0] === 0x64 && p[1] === 0xff9b && zeros(2, 6)) return last32();
  // The local-use NAT64 prefix 64:ff9b:1::/48 (RFC 8215), SIIT ::ffff:0:a.b.c.d (RFC 6145),
  // 6to4 2002::/16 (RFC 3056) and Teredo 2001::/32 (RFC 4380): tunnels and translators whose
  // relays would carry a request to whatever IPv4 address is embedded — private ones
  // included — and which no publisher needs. Refused whatever they carry.
  if (p[0] === 0x64 && p[1] === 0xff9b && p[2] === 1) return "refused";
  if (zeros(0, 4) && p[4] === 0xffff && p[5] === 0) return "refused";
  if (p[0] === 0x2002) return "refused";
  if (p[0] === 0x2001 && p[1] === 0) return "refused";
  return null;
}

/** The URL schemes newswatch ever requests. */
export const ALLOWED_PROTOCOLS = new Set(["http:", "https:"]);
