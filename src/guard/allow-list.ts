import { NetworkList, parseNetwork } from "./address.js";
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

export function detectorSettings(config: GuardConfig): DetectorSettings {
  return {
    maxRetry: config.maxRetry,
    maxTokenRetry: config.maxTokenRetry,
    findTime: config.findTime,
    banTime: config.banTime,
    banTimeFactor: config.banTimeFactor,
    maxBanTime: config.maxBanTime,
    allow: buildAllowList(config),
    trustedProxies: buildTrustedProxies(config),
  };
}
