import type {
  HttpProbeResult,
  MqttProbeResult,
  SmbProbeResult,
  SshProbeResult,
  TlsProbeResult,
  UpnpResult,
} from "./network-probes.js";

/** What the network scan saw. Owned by the scanner (src/sources/network). */
export interface PortReport {
  port: number;
  protocol: "tcp" | "udp";
  state: "open" | "closed" | "filtered";
  service?: string;
  product?: string;
  tls?: boolean;
  /** The first line a server sent unasked (sanitised, bounded), when it was not a protocol we probe. */
  banner?: string;
  /** What the HTTP(S) probe saw, Home Assistant recognition included. */
  http?: HttpProbeResult;
  /** Protocol versions and certificate of a TLS port. */
  tlsInfo?: TlsProbeResult;
  ssh?: SshProbeResult;
  mqtt?: MqttProbeResult;
  smb?: SmbProbeResult;
}
export interface HostReport {
  address: string;
  /** The name the user gave, when it was not the address itself (TLS hostname checks use it). */
  hostname?: string;
  /**
   * Every open port; closed and filtered ports are listed too when at most 1,000 ports were scanned (a full
   * range scan only counts them, in `summary`).
   */
  ports: PortReport[];
  summary?: ScanSummary;
}
/** How a host's scan went: how many ports got which answer, and whether the time budget cut it short. */
export interface ScanSummary {
  scanned: number;
  open: number;
  closed: number;
  filtered: number;
  /** Ports not scanned because the per-host time budget ran out. */
  skipped: number;
  durationMs: number;
}
export interface NetworkFacts {
  hosts: HostReport[];
  /** Port mappings the LAN's UPnP gateway holds for the scanned hosts (only with `--upnp`). */
  upnp?: UpnpResult;
}
