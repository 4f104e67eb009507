import type { MqttProbeResult } from "../sources/network/probes/mqtt.js";
import type { SmbProbeResult } from "../sources/network/probes/smb.js";
import type { SshProbeResult } from "../sources/network/probes/ssh.js";
import type { UpnpResult } from "../sources/network/probes/upnp.js";

/** What the network scan saw. Owned by the scanner (src/sources/network). */
export interface PortReport {
  port: number;
  protocol: "tcp" | "udp";
  state: "open" | "closed" | "filtered";
  service?: string;
  product?: string;
  tls?: boolean;
  ssh?: SshProbeResult;
  mqtt?: MqttProbeResult;
  smb?: SmbProbeResult;
}
export interface HostReport {
  address: string;
  ports: PortReport[];
}
export interface NetworkFacts {
  hosts: HostReport[];
  /** Port mappings the LAN's UPnP gateway holds for the scanned hosts (only with `--upnp`). */
  upnp?: UpnpResult;
}
