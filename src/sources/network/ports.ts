/**
 * Which ports to scan. The "top" list puts the doors a Home Assistant home typically has first (shared
 * seeds: SSH 22, Home Assistant 8123, the HAOS debug SSH 22222, Mosquitto 1883/8883, Samba 139/445), then
 * ports of add-ons and services often run beside it, then the commonly open ports of nmap's top list.
 */
export const HOME_ASSISTANT_PORTS = [22, 8123, 22222, 1883, 8883, 1884, 8884, 139, 445, 80, 443, 8443, 4357];

/** Add-ons and services often found next to Home Assistant (their default ports). */
const ADDON_PORTS = [
  1880, // Node-RED
  3000, // Grafana
  3218, // ESPHome (legacy)
  5000, // Frigate API / Docker registry
  5900, // VNC
  6052, // ESPHome dashboard
  8080, // zigbee2mqtt frontend, many web UIs
  8086, // InfluxDB
  8091, // Z-Wave JS UI
  8099, // zigbee2mqtt add-on ingress
  8200, // Duplicati
  8971, // Frigate UI
  9000, // Portainer
  9443, // Portainer TLS
  2375, // Docker API without TLS (root on the host)
  2376, // Docker API with TLS
  3306, // MariaDB add-on
  5432, // PostgreSQL
  6379, // Redis
  3483, // Music Assistant / Squeezebox
  8095, // Music Assistant
  21064, // HomeKit Bridge
  51827, // HomeKit accessory
  1400, // Sonos
  5353, // mDNS (TCP fallback)
  4840, // OPC UA
  502, // Modbus TCP
  10000, // Webmin
];

/** Commonly open TCP ports (the head of nmap's frequency list). */
const COMMON_PORTS = [
  21, 23, 25, 53, 110, 111, 135, 143, 161, 389, 465, 514, 548, 587, 631, 636, 873, 993, 995, 1025, 1433, 1723, 2000,
  2049, 3128, 3389, 5060, 5222, 5601, 5800, 6000, 6443, 7000, 7547, 8000, 8001, 8008, 8081, 8082, 8088, 8888, 9090,
  9100, 9200, 11211, 27017, 32400, 49152,
];

export const TOP_PORTS: readonly number[] = [...new Set([...HOME_ASSISTANT_PORTS, ...ADDON_PORTS, ...COMMON_PORTS])];

export type PortSelection = "all" | "top" | number[];

/** The ports to scan, in scan order: the interesting ones first, so a time budget cut keeps them. */
export function selectPorts(selection: PortSelection): number[] {
  if (selection === "top") return [...TOP_PORTS];
  if (Array.isArray(selection))
    return [...new Set(selection)].filter((p) => Number.isInteger(p) && p >= 1 && p <= 65535);
  const first = new Set(TOP_PORTS);
  const rest: number[] = [];
  for (let port = 1; port <= 65535; port++) if (!first.has(port)) rest.push(port);
  return [...TOP_PORTS, ...rest];
}

/** Parses `22,80,8000-8100`; throws with a clear message on anything else. */
export function parsePortList(text: string): number[] {
  const ports: number[] = [];
  for (const part of text.split(",").map((p) => p.trim())) {
    const range = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    const from = Number(range?.[1]);
    const to = Number(range?.[2] ?? range?.[1]);
    if (range === null || from < 1 || to > 65535 || from > to) {
      throw new Error(`invalid port or range "${part}" (expected e.g. 22,8123,8000-8100 with ports 1-65535)`);
    }
    for (let port = from; port <= to; port++) ports.push(port);
  }
  return [...new Set(ports)];
}

/** The usual service on a port, shown with a `?` when no probe recognised what answered. */
export const WELL_KNOWN: Readonly<Record<number, string>> = {
  21: "ftp",
  22: "ssh",
  23: "telnet",
  25: "smtp",
  53: "dns",
  80: "http",
  139: "netbios-ssn",
  443: "https",
  445: "microsoft-ds",
  1880: "node-red",
  1883: "mqtt",
  2375: "docker",
  3306: "mysql",
  5900: "vnc",
  6052: "esphome",
  8123: "home-assistant",
  8883: "mqtts",
  22222: "ssh (HAOS debug)",
};
