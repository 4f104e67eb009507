import { defineCheck } from "../../model/check.js";
import type { Severity } from "../../model/severity.js";

/** What a forwarded internal port puts on the Internet, and how bad that is for a Home Assistant home. */
const SERVICE_RISK: Record<number, { what: string; severity: Severity }> = {
  139: { what: "Samba (NetBIOS)", severity: "critical" },
  445: { what: "Samba/SMB file shares", severity: "critical" },
  22222: { what: "Home Assistant OS debug SSH", severity: "critical" },
  22: { what: "SSH", severity: "high" },
  1883: { what: "the MQTT broker, unencrypted", severity: "high" },
  1884: { what: "MQTT over websockets, unencrypted", severity: "high" },
  8123: { what: "Home Assistant", severity: "high" },
  4357: { what: "the Supervisor observer", severity: "high" },
};

export const upnpPortForward = defineCheck({
  id: "upnp/port-forward",
  title: "The router forwards an Internet port to this host (UPnP)",
  severity: "high",
  area: "network",
  checklist: "remote-access",
  formerIds: ["network/upnp-port-forward"],
  needs: ["network"],
  description:
    "The LAN's Internet gateway holds a UPnP port mapping that sends traffic from the Internet to this host. A " +
    "program on the network can create such a forward without asking anyone; a forwarded 8123, 22 or 445 is how " +
    "Home Assistant homes end up listed on Shodan and attacked within hours. Samba or the debug SSH port on the " +
    "Internet is the worst case.",
  remediation:
    "Delete the mapping in the router's UPnP page and turn UPnP off on the router unless something truly needs it. " +
    "For remote access to Home Assistant use Home Assistant Cloud, a VPN (WireGuard, Tailscale) or a reverse proxy " +
    "with TLS, never a raw forward; never forward SMB, SSH or MQTT.",
  sources: [
    "UPnP Forum, WANIPConnection:2 service (GetGenericPortMappingEntry)",
    "shared seeds: ha-blog-2018-security-port-scans.md (check the UPnP settings of your router and disable it when not needed; don't forward the Samba ports)",
    "shared seeds: ha-docs-securing-checklist.md (remote access without exposing services)",
  ],
  run(facts) {
    const upnp = facts.network.upnp;
    if (upnp === undefined) return [];
    return upnp.mappings
      .filter((mapping) => mapping.enabled)
      .map((mapping) => {
        const risk = SERVICE_RISK[mapping.internalPort];
        const from = mapping.remoteHost === "" ? "anyone on the Internet" : `only ${mapping.remoteHost}`;
        return {
          severity: risk?.severity ?? "medium",
          message:
            `The router forwards external ${mapping.protocol} port ${mapping.externalPort} to ` +
            `${mapping.internalClient}:${mapping.internalPort}${risk ? ` (${risk.what})` : ""}, reachable by ${from}.`,
          location: {
            host: mapping.internalClient,
            port: mapping.internalPort,
            protocol: mapping.protocol === "UDP" ? ("udp" as const) : ("tcp" as const),
          },
          evidence: `UPnP mapping "${mapping.description}" on ${upnp.gateway ?? "the gateway"}${mapping.leaseSeconds > 0 ? `, lease ${mapping.leaseSeconds} s` : ", permanent"}`,
        };
      });
  },
});
