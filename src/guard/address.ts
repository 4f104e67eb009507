/**
 * IP addresses as the guard sees them: one canonical text per host, so `::ffff:192.0.2.1`, `192.0.2.1` and
 * `::FFFF:c000:0201` are the same attacker (Home Assistant logs whatever aiohttp saw on the socket, which on a
 * dual-stack listener is the IPv4-mapped form), and IPv6 is written the RFC 5952 way.
 *
 * A link-local peer keeps its zone: `fe80::1%eth0`. Python (3.7+) writes the peer's scope as `%ifname` into the
 * socket address aiohttp hands Home Assistant, `ipaddress.ip_address` (3.9+) keeps it, and Home Assistant logs,
 * counts and writes `ip_bans.yaml` with `str()` of that address (http/ban.py, home-assistant/core@0206414a:
 * `remote_addr = ip_address(request.remote)`, `str(ip_ban.ip_address)`); `IPv6Address.__eq__` compares the
 * scope too. fe80::1 on eth0 and fe80::1 on wlan0 are two hosts on two links, so the zone stays in the key.
 */

/** An address as 4 (IPv4) or 16 (IPv6) bytes. */
interface AddressBytes {
  family: 4 | 6;
  bytes: Uint8Array;
}

function parseIpv4(text: string): Uint8Array | null {
  // by hand, one pass: every failed login is matched against the allow-list, so this runs once per line
  const bytes = new Uint8Array(4);
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 46; // a final "." closes the last part
    if (code === 46) {
      if (digits === 0 || part > 3) return null;
      bytes[part++] = value;
      value = 0;
      digits = 0;
    } else if (code >= 48 && code <= 57 && digits < 3 && !(digits === 1 && value === 0)) {
      // no leading zero ("010" would read as octal elsewhere): the same rule as net.isIPv4
      value = value * 10 + (code - 48);
      digits++;
      if (value > 255) return null;
    } else {
      return null;
    }
  }
  return part === 4 ? bytes : null;
}

/**
 * A zone as the kernel names it: an interface name (Linux: at most 15 characters, no '/', ':' or white space;
 * quotes and braces are refused too, since the zone ends up in an nftables script) or an interface index.
 */
const ZONE = /^[A-Za-z0-9_.@+-]{1,15}$/;

/** The value of a hex digit, or -1. */
function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/**
 * IPv6 text (RFC 4291 §2.2, an IPv4 tail allowed) to 16 bytes, or null; the same language as net.isIPv6
 * without a zone (a test holds the two together). By hand, in one pass: a spray over IPv6 parses an address
 * for every line.
 */
function parseIpv6(text: string): Uint8Array | null {
  const length = text.length;
  if (length < 2) return null;
  // groups go straight into the bytes; a "::" moves the ones after it to the end at the close
  const bytes = new Uint8Array(16);
  let count = 0;
  let gap = -1;
  let i = 0;
  if (text.charCodeAt(0) === 58) {
    if (text.charCodeAt(1) !== 58) return null;
    gap = 0;
    i = 2;
  }
  while (i < length) {
    if (count === 8) return null;
    const groupStart = i;
    let value = 0;
    let digit = hexValue(text.charCodeAt(i));
    while (digit >= 0 && i - groupStart < 4) {
      value = value * 16 + digit;
      i++;
      digit = i < length ? hexValue(text.charCodeAt(i)) : -1;
    }
    if (i < length && text.charCodeAt(i) === 46) {
      // an IPv4 tail ends the address and takes two groups
      const v4 = count <= 6 ? parseIpv4(text.slice(groupStart)) : null;
      if (!v4) return null;
      bytes.set(v4, count * 2);
      count += 2;
      break;
    }
    if (i === groupStart) return null; // an empty group, or a fifth hex digit
    bytes[count * 2] = value >> 8;
    bytes[count * 2 + 1] = value & 0xff;
    count++;
    if (i === length) break;
    if (text.charCodeAt(i) !== 58) return null;
    i++;
    if (i < length && text.charCodeAt(i) === 58) {
      if (gap >= 0) return null; // a second "::"
      gap = count;
      i++;
    } else if (i === length) {
      return null; // a single trailing ":"
    }
  }
  if (gap < 0 ? count !== 8 : count > 7) return null;
  if (gap >= 0 && count > gap) {
    const after = (count - gap) * 2;
    bytes.copyWithin(16 - after, gap * 2, count * 2);
    bytes.fill(0, gap * 2, 16 - after);
  }
  return bytes;
}

function isV4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/** Splits `fe80::1%eth0`; a zone is only ever on IPv6 text. */
function splitZone(text: string): { host: string; zone: string | null } {
  const at = text.indexOf("%");
  return at < 0 ? { host: text, zone: null } : { host: text.slice(0, at), zone: text.slice(at + 1) };
}

/** The bytes of an address; its zone, if any, is checked and left out (see normalizeAddress). */
function toBytes(text: string): AddressBytes | null {
  const { host, zone } = splitZone(text);
  if (!host.includes(":")) {
    const bytes = zone === null ? parseIpv4(host) : null;
    return bytes ? { family: 4, bytes } : null;
  }
  if (zone !== null && !ZONE.test(zone)) return null;
  const bytes = parseIpv6(host);
  if (!bytes) return null;
  if (isV4Mapped(bytes)) return { family: 4, bytes: bytes.slice(12) };
  return { family: 6, bytes };
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

/** The canonical text of an address (an IPv6 zone kept), or null when `text` is not an IP address. */
export function normalizeAddress(text: string): string | null {
  // the common case, already canonical: no parsing needed
  if (PLAIN_IPV4.test(text)) return text;
  if (text.length > 64) return null;
  const trimmed = text.trim();
  const parsed = toBytes(trimmed);
  if (!parsed) return null;
  if (parsed.family === 4) return Array.from(parsed.bytes).join(".");
  const { zone } = splitZone(trimmed);
  return zone === null ? formatIpv6(parsed.bytes) : `${formatIpv6(parsed.bytes)}%${zone}`;
}

/** 4 or 6 for a canonical address. */
export function addressFamily(address: string): 4 | 6 {
  return address.includes(":") ? 6 : 4;
}

/** A canonical address and its zone (`fe80::1%eth0` → fe80::1, eth0). */
export function addressZone(address: string): { address: string; zone: string | null } {
  const { host, zone } = splitZone(address);
  return { address: host, zone };
}

/** The length of the IPv6 prefix counted and banned as a whole: one subscriber's LAN (RFC 6177, RFC 7421). */
export const IPV6_PREFIX_LENGTH = 64;

/**
 * The /64 of a global or unique-local IPv6 address (`2001:db8:1:2::/64`), the unit an ISP hands a home and an
 * attacker rotates addresses in; null for IPv4 and for addresses whose /64 is not one subscriber's:
 * link-local (fe80::/10: every device on a link shares fe80::/64), loopback, unspecified, multicast.
 */
export function prefixOf(address: string): string | null {
  if (!address.includes(":")) return null;
  const parsed = toBytes(address);
  if (parsed?.family !== 6) return null;
  const { bytes } = parsed;
  const first = bytes[0] ?? 0;
  if (first === 0xff) return null; // multicast
  if (first === 0xfe && ((bytes[1] ?? 0) & 0xc0) === 0x80) return null; // link-local
  // RFC 5952 text of the network: its four zero groups are the longest run, so they become "::" together
  // with any zero groups just before them (2001:db8:0:0::/64 is 2001:db8::/64)
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) groups.push((((bytes[g * 2] ?? 0) << 8) | (bytes[g * 2 + 1] ?? 0)).toString(16));
  while (groups.length > 0 && groups[groups.length - 1] === "0") groups.pop();
  if (groups.length === 0) return null; // ::, ::1 and the rest of the lowest /64 are nobody's LAN
  return `${groups.join(":")}::/${IPV6_PREFIX_LENGTH}`;
}

/**
 * What a ban names: an address (IPv4, IPv6 with its zone) or a network (`2001:db8:1:2::/64`), canonical, so
 * the text `guard unban` is given matches the ban the guard made. A /32 or /128 is the address itself.
 */
export function banTarget(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed.includes("/")) return normalizeAddress(trimmed);
  const network = parseNetwork(trimmed);
  if (!network) return null;
  const full = network.family === 4 ? 32 : 128;
  return network.prefix === full ? network.text.slice(0, network.text.lastIndexOf("/")) : network.text;
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
  // a network has no zone: `fe80::/10` means every link-local address, whatever the link
  if (addressText.includes("%")) return null;
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

  /** The label of the first network that overlaps `network` (holds it, or lies inside it), or null. */
  overlapping(network: Network): string | null {
    for (const entry of this.#entries) {
      const wider = entry.network.prefix <= network.prefix ? entry.network : network;
      const narrower = wider === entry.network ? network : entry.network;
      if (bytesInNetwork(wider, narrower)) return entry.label;
    }
    return null;
  }

  get networks(): readonly { network: Network; label: string }[] {
    return this.#entries;
  }
}
