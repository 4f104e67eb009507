import { networkInterfaces } from "node:os";
import { IPV6_PREFIX_LENGTH, NetworkList, parseNetwork, prefixOf } from "./address.js";
import type { GuardConfig } from "./config.js";
import type { DetectorSettings } from "./detector.js";

/**
 * The allow-list: loopback always (Nabu Casa's Remote UI and local proxies arrive as 127.0.0.1/::1), the
 * Supervisor (Home Assistant never bans it either), and the owner's networks.
 */
export function buildAllowList(config: Pick<GuardConfig, "allow" | "supervisorAddress">): NetworkList {
  const list = new NetworkList();
  const add = (text: string, label: string) => {
    const network = parseNetwork(text);
    if (network) list.add(network, label);
  };
  add("127.0.0.0/8", "loopback");
  add("::1/128", "loopback");
  add(config.supervisorAddress, "the Supervisor");
  for (const text of config.allow) add(text, `allow-list ${text}`);
  return list;
}

export function buildTrustedProxies(config: Pick<GuardConfig, "trustedProxies">): NetworkList {
  const list = new NetworkList();
  for (const text of config.trustedProxies) {
    const network = parseNetwork(text);
    if (network) list.add(network, text);
  }
  return list;
}

/**
 * This machine's own global and unique-local IPv6 networks (each interface's on-link network, at least its
 * /64): the home's LAN, which is never banned as a whole /64 (detector.ts). Link-local is left out: it is
 * never counted per /64 anyway.
 */
export function ownIpv6Networks(interfaces = networkInterfaces()): NetworkList {
  const list = new NetworkList();
  for (const [name, addresses] of Object.entries(interfaces)) {
    for (const entry of addresses ?? []) {
      if (entry.family !== "IPv6" || prefixOf(entry.address) === null) continue;
      const onLink = parseNetwork(entry.cidr ?? `${entry.address}/${IPV6_PREFIX_LENGTH}`);
      const prefix = onLink && onLink.prefix <= IPV6_PREFIX_LENGTH ? onLink : parseNetwork(`${entry.address}/64`);
      if (prefix) list.add(prefix, `this machine's network ${prefix.text} (${name})`);
    }
  }
  return list;
}

/** The detector's settings; `ownNetworks` defaults to this machine's (the live guard and `guard check` alike). */
export function detectorSettings(config: GuardConfig, ownNetworks: NetworkList = ownIpv6Networks()): DetectorSettings {
  return {
    maxRetry: config.maxRetry,
    maxTokenRetry: config.maxTokenRetry,
    maxPrefixRetry: config.maxPrefixRetry,
    ownNetworks,
    findTime: config.findTime,
    banTime: config.banTime,
    banTimeFactor: config.banTimeFactor,
    maxBanTime: config.maxBanTime,
    allow: buildAllowList(config),
    trustedProxies: buildTrustedProxies(config),
  };
}
