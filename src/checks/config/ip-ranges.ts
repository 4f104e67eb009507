import { BlockList, isIP } from "node:net";

/**
 * Small address arithmetic for the proxy, trusted-network and ban checks, on top of Node's `net.BlockList`
 * (which understands IPv4, IPv6 and IPv4-mapped IPv6) so no parser of our own decides what an address is.
 */
export interface Network {
  /** As written. */
  text: string;
  address: string;
  prefix: number;
  family: "ipv4" | "ipv6";
}

/** `10.0.0.0/8`, `fd00::/8` or a bare address (a /32 or /128); undefined when it is not an address. */
export function parseNetwork(text: string): Network | undefined {
  const trimmed = text.trim();
  const [address = "", prefixText] = trimmed.split("/");
  const version = isIP(address);
  if (version === 0) return undefined;
  const family = version === 4 ? "ipv4" : "ipv6";
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return undefined;
  return { text: trimmed, address, prefix, family };
}

/** Addresses of a network, as a power of two (for messages: "2^24 addresses"). */
export function sizeBits(network: Network): number {
  return (network.family === "ipv4" ? 32 : 128) - network.prefix;
}

/** The whole Internet: `0.0.0.0/0`, `::/0` (or nearly: the first bit). */
export function isAnyAddress(network: Network): boolean {
  return network.prefix <= 1;
}

/**
 * Too broad to mean "my reverse proxy" or "my own devices": a /16 or larger in IPv4 (the whole of
 * 192.168.0.0/16, 172.16.0.0/12, 10.0.0.0/8 and bigger), a /48 or larger in IPv6 (a whole site, fc00::/7).
 */
export function isBroad(network: Network): boolean {
  return network.family === "ipv4" ? network.prefix <= 16 : network.prefix <= 48;
}

const LOOPBACK = blockList([
  ["127.0.0.0", 8, "ipv4"],
  ["::1", 128, "ipv6"],
]);
const PRIVATE = blockList([
  ["10.0.0.0", 8, "ipv4"],
  ["172.16.0.0", 12, "ipv4"],
  ["192.168.0.0", 16, "ipv4"],
  ["100.64.0.0", 10, "ipv4"], // carrier-grade NAT, Tailscale
  ["169.254.0.0", 16, "ipv4"],
  ["fc00::", 7, "ipv6"],
  ["fe80::", 10, "ipv6"],
]);

function blockList(ranges: [string, number, "ipv4" | "ipv6"][]): BlockList {
  const list = new BlockList();
  for (const [address, prefix, family] of ranges) list.addSubnet(address, prefix, family);
  return list;
}

/** IPv4-mapped IPv6 (`::ffff:127.0.0.1`) as the IPv4 address it stands for: HA bans both spellings. */
export function unmapped(address: string): { address: string; family: "ipv4" | "ipv6" } | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined && isIP(mapped[1]) === 4) return { address: mapped[1], family: "ipv4" };
  const version = isIP(address);
  if (version === 0) return undefined;
  return { address, family: version === 4 ? "ipv4" : "ipv6" };
}

export function isLoopback(address: string): boolean {
  const a = unmapped(address);
  return a !== undefined && LOOPBACK.check(a.address, a.family);
}

/** RFC 1918, CGNAT, link-local and unique-local addresses: the owner's own network. */
export function isPrivate(address: string): boolean {
  const a = unmapped(address);
  return a !== undefined && PRIVATE.check(a.address, a.family);
}

/** Whether `address` lies inside `network`. */
export function contains(network: Network, address: string): boolean {
  const a = unmapped(address);
  if (a === undefined) return false;
  const list = new BlockList();
  try {
    list.addSubnet(network.address, network.prefix, network.family);
  } catch {
    return false; // Node refuses some odd spellings; then it contains nothing we can prove
  }
  return list.check(a.address, a.family);
}

/**
 * Where a host name or address is: on this machine or its container network (loopback, `localhost`,
 * single-label add-on names), on the owner's LAN (private addresses, `*.local`), or anywhere else.
 */
export type Locality = "internal" | "lan" | "remote";
export function hostLocality(host: string): Locality {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost" || isLoopback(bare)) return "internal";
  if (isIP(bare) !== 0) return isPrivate(bare) ? "lan" : "remote";
  if (bare.endsWith(".local") || bare.endsWith(".lan") || bare.endsWith(".home.arpa") || bare.endsWith(".internal")) {
    return "lan";
  }
  // a single label is a container or add-on name (`core-mosquitto`) on the host's own network
  if (!bare.includes(".")) return "internal";
  return "remote";
}
