import type { NetworkLocation } from "../../model/finding.js";
import type { HostReport, NetworkFacts, PortReport } from "../../model/network-facts.js";

/** One open port of a scanned host, with the location its findings carry. */
export interface OpenPort {
  host: HostReport;
  port: PortReport;
  location: NetworkLocation;
}

/** Every open port in the network facts, host by host, port by port. */
export function openPorts(facts: { readonly network: NetworkFacts }): OpenPort[] {
  const result: OpenPort[] = [];
  for (const host of facts.network.hosts) {
    for (const port of host.ports) {
      if (port.state !== "open") continue;
      result.push({ host, port, location: { host: host.address, port: port.port, protocol: port.protocol } });
    }
  }
  return result;
}

/** `host:port` as people write it (IPv6 in brackets), for messages. */
export function hostPort(open: OpenPort): string {
  const host = open.host.address.includes(":") ? `[${open.host.address}]` : open.host.address;
  return `${host}:${open.port.port}`;
}
