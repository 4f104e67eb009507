import { X509Certificate } from "node:crypto";
import path from "node:path";
import type { ConfigFacts } from "../model/config-facts.js";
import type { NetworkFacts } from "../model/network-facts.js";

/** What exposure is judged from: a check that asks declares `config` and `network` (needs or uses). */
export interface ExposureFacts {
  config?: ConfigFacts | undefined;
  network?: NetworkFacts | undefined;
}

import { formatLocation, type Location } from "../model/finding.js";
import { asList, get, scalarString, type YNode } from "../model/yaml-node.js";
import { advertisedUrls, httpView, isTrue, listSetting, scalarSetting } from "./config/http-settings.js";
import { hostLocality } from "./config/ip-ranges.js";
import { at } from "./config/where.js";

/**
 * Whether the home looks reachable from the Internet, and why: one fact computed once per audit and shared by
 * every check whose risk depends on it (password guessing against the login page matters where strangers can
 * reach it). Each sign names what was seen and where, so a finding can say it.
 */
export type ExposureKind = "public-url" | "reverse-proxy" | "forwarded-port" | "public-certificate" | "cloud";

export interface ExposureSign {
  kind: ExposureKind;
  /** Words for a report: "`external_url` https://home.example.org". */
  what: string;
  location?: Location;
}

const memo = new WeakMap<ExposureFacts, ExposureSign[]>();

/** Every sign of remote exposure the facts show (memoised per audit: many checks ask). */
export function exposureSigns(facts: ExposureFacts): ExposureSign[] {
  let signs = memo.get(facts);
  if (signs === undefined) {
    signs = [...(facts.config === undefined ? [] : configSigns(facts.config)), ...forwardedPorts(facts)];
    memo.set(facts, signs);
  }
  return signs;
}

export function isExposed(facts: ExposureFacts): boolean {
  return exposureSigns(facts).length > 0;
}

/**
 * One sentence for a finding: which signs of remote exposure were seen (the first three), or that none was
 * and what was looked for, so an owner can tell whether the severity fits the home.
 */
export function exposureSentence(facts: ExposureFacts): string {
  const signs = exposureSigns(facts);
  if (signs.length === 0) {
    return (
      "No sign of remote exposure was seen (no public `external_url`, reverse proxy, forwarded port, public " +
      "certificate or Home Assistant Cloud remote access)" +
      (facts.network?.upnp === undefined ? "; the router's port forwards were not asked (`--upnp`)." : ".")
    );
  }
  const listed = signs.slice(0, 3).map((s) => (s.location ? `${s.what} (${formatLocation(s.location)})` : s.what));
  const more = signs.length > 3 ? ` and ${signs.length - 3} more` : "";
  return `Signs that it is reachable from the Internet: ${listed.join("; ")}${more}.`;
}

function configSigns(config: ConfigFacts): ExposureSign[] {
  return [...publicUrls(config), ...reverseProxies(config), ...publicCertificates(config), ...cloudRemote(config)];
}

/** `external_url`/`base_url` on a public name or address (YAML or the UI's `.storage/core.config`). */
function publicUrls(config: ConfigFacts): ExposureSign[] {
  const http = httpView(config);
  return advertisedUrls(config, http)
    .filter((u) => u.key !== "internal_url" && hostLocality(u.url.hostname) === "remote")
    .map((u) => ({ kind: "public-url", what: `\`${u.key}\` ${u.url.origin}`, location: at(u.pos) }));
}

/** Add-ons and images that put a proxy or tunnel in front of Home Assistant (by slug or image name). */
const PROXY_SOFTWARE = /nginx[_-]?proxy|nginxproxymanager|traefik|caddy|cloudflared|swag\b/i;

/**
 * A reverse proxy in front of Home Assistant: `use_x_forwarded_for`/`trusted_proxies` in the `http:` settings in
 * force, a proxy add-on's options or folder, or a proxy's own configuration kept in the folder (nginx
 * `proxy_pass` to Home Assistant, a Caddyfile `reverse_proxy`, Traefik, Nginx Proxy Manager, a Cloudflare tunnel).
 */
function reverseProxies(config: ConfigFacts): ExposureSign[] {
  const signs: ExposureSign[] = [];
  const http = httpView(config);
  const forwarded = http.settings?.entries.findLast((e) => e.key === "use_x_forwarded_for");
  if (forwarded !== undefined && isTrue(forwarded.value)) {
    signs.push({
      kind: "reverse-proxy",
      what: "a reverse proxy (`use_x_forwarded_for: true`)",
      location: at(forwarded.keyPos),
    });
  } else {
    const proxies = listSetting(http.settings, "trusted_proxies");
    if (proxies[0] !== undefined) {
      signs.push({
        kind: "reverse-proxy",
        what: "a reverse proxy (`trusted_proxies`)",
        location: at(proxies[0].node.pos),
      });
    }
  }
  const addons = new Set<string>();
  for (const options of config.addonOptions) if (PROXY_SOFTWARE.test(options.addon)) addons.add(options.addon);
  for (const file of config.files) {
    const slug = /^addon_configs\/([^/]+)$/.exec(file.path)?.[1];
    if (slug !== undefined && file.type === "directory" && PROXY_SOFTWARE.test(slug)) addons.add(slug);
  }
  for (const addon of [...addons].sort()) {
    signs.push({ kind: "reverse-proxy", what: `the proxy or tunnel add-on \`${addon}\`` });
  }
  for (const [file, text] of config.texts) {
    const what = proxyConfiguration(file, text);
    if (what !== undefined) signs.push({ kind: "reverse-proxy", what, location: { file } });
  }
  return signs;
}

function proxyConfiguration(file: string, text: string): string | undefined {
  const base = path.posix.basename(file);
  const pointsAtHa = /8123|homeassistant|home-assistant|hassio/i.test(text);
  if (/\.conf$/i.test(base) && /\bproxy_pass\s+https?:\/\//.test(text) && pointsAtHa)
    return "an nginx proxy configuration";
  if (/^caddyfile$/i.test(base) && /\breverse_proxy\b/.test(text)) return "a Caddy reverse proxy";
  if (/traefik/i.test(file) && /\.(ya?ml|toml)$/i.test(base) && pointsAtHa) return "a Traefik configuration";
  if (/(^|\/)(docker-)?compose(\.[\w-]+)?\.ya?ml$/i.test(file)) {
    const image = /image:\s*["']?([\w./-]*(?:nginx-proxy-manager|traefik|caddy|cloudflared|swag)[\w./:-]*)/i.exec(text);
    if (image?.[1] !== undefined) return `a proxy container in Docker Compose (\`${image[1]}\`)`;
  }
  return undefined;
}

/**
 * A certificate for a public name: the Let's Encrypt or DuckDNS add-on's `domains`, the legacy `duckdns:`
 * integration, a certificate under `/etc/letsencrypt/live/<name>/`, or a certificate file kept in the folder
 * whose names are public. A self-signed certificate for a LAN name is no sign.
 */
function publicCertificates(config: ConfigFacts): ExposureSign[] {
  const signs: ExposureSign[] = [];
  for (const options of config.addonOptions) {
    if (!/letsencrypt|duckdns|acme/i.test(options.addon)) continue;
    const domains = asList(get(options.options, "domains")).flatMap((d) => scalarString(d) ?? []);
    const publicName = domains.find((d) => hostLocality(d.replace(/^\*\./, "")) === "remote");
    if (publicName !== undefined) {
      signs.push({
        kind: "public-certificate",
        what: `a public certificate for ${publicName} (add-on \`${options.addon}\`)`,
        location: { file: options.file },
      });
    }
  }
  const duckdns = config.merged?.entries.find((e) => e.key === "duckdns");
  if (duckdns !== undefined)
    signs.push({ kind: "public-certificate", what: "the `duckdns:` integration", location: at(duckdns.keyPos) });
  const certificate = scalarSetting(httpView(config).settings, "ssl_certificate");
  const certPath = certificate === undefined ? undefined : String(certificate.value);
  if (certificate !== undefined && certPath !== undefined) {
    const name = /\/letsencrypt\/live\/([^/]+)\//.exec(certPath)?.[1] ?? publicNameInCertificate(config, certPath);
    if (name !== undefined && hostLocality(name.replace(/^\*\./, "")) === "remote") {
      signs.push({
        kind: "public-certificate",
        what: `a certificate for ${name} (\`ssl_certificate\`)`,
        location: at(certificate.pos),
      });
    }
  }
  return signs;
}

/** The first public DNS name of a certificate file that lies inside the configuration folder. */
function publicNameInCertificate(config: ConfigFacts, certPath: string): string | undefined {
  const relative = certPath.startsWith("/config/") ? certPath.slice("/config/".length) : certPath;
  const text = config.texts.get(path.posix.normalize(relative));
  if (text === undefined || !text.includes("-----BEGIN CERTIFICATE-----")) return undefined;
  try {
    const names = (new X509Certificate(text).subjectAltName ?? "")
      .split(/,\s*/)
      .filter((n) => n.startsWith("DNS:"))
      .map((n) => n.slice(4));
    return names.find((n) => hostLocality(n.replace(/^\*\./, "")) === "remote");
  } catch {
    return undefined; // not a certificate Node can read: no sign either way
  }
}

/**
 * Home Assistant Cloud: remote access turned on in `.storage/cloud` (`remote_enabled`, cloud/const.py
 * PREF_ENABLE_REMOTE), or a `cloud:` block in YAML when the preferences do not say remote access is off.
 */
function cloudRemote(config: ConfigFacts): ExposureSign[] {
  const remote = cloudRemoteEnabled(config);
  if (remote === true)
    return [{ kind: "cloud", what: "Home Assistant Cloud remote access is on", location: { file: CLOUD_PREFS } }];
  const block = config.merged?.entries.find((e) => e.key === "cloud");
  if (block !== undefined && remote === undefined) {
    return [{ kind: "cloud", what: "Home Assistant Cloud is configured (`cloud:`)", location: at(block.keyPos) }];
  }
  return [];
}

const CLOUD_PREFS = ".storage/cloud";

function cloudRemoteEnabled(config: ConfigFacts): boolean | undefined {
  const text = config.texts.get(CLOUD_PREFS);
  if (text === undefined) return undefined;
  try {
    const value = (JSON.parse(text) as { data?: { remote_enabled?: unknown } } | null)?.data?.remote_enabled;
    return typeof value === "boolean" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Ports Home Assistant answers on: its own, and the usual ones a router forwards to it or to its proxy. */
const HOME_ASSISTANT_PORTS = new Set([8123, 443, 80, 8443]);

/** A UPnP mapping on the router that forwards an Internet port to Home Assistant's (only with `--upnp`). */
function forwardedPorts(facts: ExposureFacts): ExposureSign[] {
  const upnp = facts.network?.upnp;
  if (upnp === undefined) return [];
  const configured = facts.config === undefined ? undefined : configuredPort(facts.config);
  return upnp.mappings
    .filter((m) => m.enabled && (HOME_ASSISTANT_PORTS.has(m.internalPort) || m.internalPort === configured))
    .map((m) => ({
      kind: "forwarded-port",
      what: `the router forwards Internet port ${m.externalPort} to ${m.internalClient}:${m.internalPort} (UPnP)`,
      location: { host: m.internalClient, port: m.internalPort, protocol: m.protocol === "UDP" ? "udp" : "tcp" },
    }));
}

function configuredPort(config: ConfigFacts): number | undefined {
  const node: YNode | undefined = scalarSetting(httpView(config).settings, "server_port");
  const value = node?.kind === "scalar" ? Number(node.value) : Number.NaN;
  return Number.isInteger(value) ? value : undefined;
}
