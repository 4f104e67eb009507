import { isIP } from "node:net";

/**
 * IP addresses as the guard sees them: one canonical text per host, so `::ffff:192.0.2.1`, `192.0.2.1` and
 * `::FFFF:c000:0201` are the same attacker (Home Assistant logs whatever aiohttp saw on the socket, which on a
 * dual-stack listener is the IPv4-mapped form), and IPv6 is written the RFC 5952 way.
 */

/** An address as 4 (IPv4) or 16 (IPv6) bytes. */
interface AddressBytes {
  family: 4 | 6;
  bytes: Uint8Array;
}

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] ?? "";
    if (!/^\d{1,3}$/.test(part)) return null;
    const value = Number(part);
    if (value > 255) return null;
    bytes[i] = value;
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | null {
  // a zone id (fe80::1%eth0) names an interface, not a host: drop it
  const withoutZone = text.split("%")[0] ?? "";
  let head = withoutZone;
  let tailV4: Uint8Array | null = null;
  const lastColon = head.lastIndexOf(":");
  if (head.includes(".", lastColon)) {
    tailV4 = parseIpv4(head.slice(lastColon + 1));
    if (!tailV4) return null;
    head = `${head.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split("::");
  if (halves.length > 2) return null;
  const toGroups = (part: string): number[] | null => {
    if (part === "") return [];
    const groups: number[] = [];
    for (const group of part.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
      groups.push(Number.parseInt(group, 16));
    }
    return groups;
  };
  const left = toGroups(halves[0] ?? "");
  const right = halves.length === 2 ? toGroups(halves[1] ?? "") : [];
  if (!left || !right) return null;
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...left, ...new Array<number>(missing).fill(0), ...right];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  if (tailV4) bytes.set(tailV4, 12);
  return bytes;
}

function isV4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

function toBytes(text: string): AddressBytes | null {
  const family = isIP(text.split("%")[0] ?? "");
  if (family === 4) {
    const bytes = parseIpv4(text);
    return bytes ? { family: 4, bytes } : null;
  }
  if (family === 6) {
    const bytes = parseIpv6(text);
    if (!bytes) return null;
    if (isV4Mapped(bytes)) return { family: 4, bytes: bytes.slice(12) };
    return { family: 6, bytes };
  }
  return null;
}

function formatIpv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  // RFC 5952: compress the longest run (≥2) of zero groups, the first one on a tie
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLength < 2) return hex.join(":");
  const left = hex.slice(0, bestStart).join(":");
  const right = hex.slice(bestStart + bestLength).join(":");
  return `${left}::${right}`;
}

const PLAIN_IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** The canonical text of an address, or null when `text` is not an IP address. */
export function normalizeAddress(text: string): string | null {
  // the common case, already canonical: no parsing needed
  if (PLAIN_IPV4.test(text)) return text;
  if (text.length > 64) return null;
  const parsed = toBytes(text.trim());
  if (!parsed) return null;
  return parsed.family === 4 ? Array.from(parsed.bytes).join(".") : formatIpv6(parsed.bytes);
}

/** 4 or 6 for a canonical address. */
export function addressFamily(address: string): 4 | 6 {
  return address.includes(":") ? 6 : 4;
}

/** A network such as `192.168.1.0/24`, `2001:db8::/32`, or a single address. */
export interface Network {
  text: string;
  family: 4 | 6;
  bytes: Uint8Array;
  prefix: number;
}

/**
 * Parses a CIDR. Host bits may be set (`192.168.1.10/24` means the /24), because an owner copying their
 * own address plus mask means the network; an IPv4-mapped IPv6 network becomes the IPv4 one.
 */
export function parseNetwork(text: string): Network | null {
  const [addressText = "", prefixText] = text.trim().split("/");
  const raw = toBytes(addressText);
  if (!raw) return null;
  const wasMapped = raw.family === 4 && addressText.includes(":");
  const maxPrefix = raw.family === 4 ? 32 : 128;
  let prefix = maxPrefix;
  if (prefixText !== undefined) {
    if (!/^\d{1,3}$/.test(prefixText)) return null;
    prefix = Number(prefixText);
    if (wasMapped) prefix -= 96;
    if (prefix < 0 || prefix > maxPrefix) return null;
  }
  const bytes = raw.bytes.slice();
  for (let bit = prefix; bit < maxPrefix; bit++) {
    const index = bit >> 3;
    bytes[index] = (bytes[index] ?? 0) & ~(0x80 >> (bit & 7));
  }
  const base = raw.family === 4 ? Array.from(bytes).join(".") : formatIpv6(bytes);
  return { text: `${base}/${prefix}`, family: raw.family, bytes, prefix };
}

/** True when the (canonical or not) address lies in the network. */
export function networkContains(network: Network, address: string): boolean {
  const parsed = toBytes(address);
  return parsed !== null && bytesInNetwork(network, parsed);
}

function bytesInNetwork(network: Network, parsed: AddressBytes): boolean {
  if (parsed.family !== network.family) return false;
  const fullBytes = network.prefix >> 3;
  for (let i = 0; i < fullBytes; i++) if (parsed.bytes[i] !== network.bytes[i]) return false;
  const restBits = network.prefix & 7;
  if (restBits === 0) return true;
  const mask = (0xff << (8 - restBits)) & 0xff;
  return ((parsed.bytes[fullBytes] ?? 0) & mask) === ((network.bytes[fullBytes] ?? 0) & mask);
}

/** A set of networks with a label each, e.g. the allow-list. */
export class NetworkList {
  readonly #entries: { network: Network; label: string }[] = [];

  add(network: Network, label: string): void {
    this.#entries.push({ network, label });
  }

  /** The label of the first network holding the address, or null. */
  match(address: string): string | null {
    if (this.#entries.length === 0) return null;
    const parsed = toBytes(address);
    if (!parsed) return null;
    for (const entry of this.#entries) if (bytesInNetwork(entry.network, parsed)) return entry.label;
    return null;
  }

  get networks(): readonly { network: Network; label: string }[] {
    return this.#entries;
  }
}
