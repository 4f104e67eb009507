import type { PortReport } from "../../model/network-facts.js";
import { probeHttp } from "./probes/http.js";
import { probeMqtt } from "./probes/mqtt.js";
import type { ProbeOptions } from "./probes/options.js";
import { probeSmb } from "./probes/smb.js";
import { probeSsh } from "./probes/ssh.js";
import { probeTls } from "./probes/tls.js";
import { openSocket, printableLine, readBounded } from "./socket-io.js";

/**
 * Decides what an open port speaks by what answers, not by its number (Home Assistant on 8123 or 443,
 * SSH on 22 or 22222, a broker anywhere): a server that talks first is read (`SSH-` → SSH probe); a silent
 * one gets a TLS ClientHello, then plain HTTP, then an MQTT CONNECT (plain, then over websockets), then an SMB
 * negotiate. Every step has
 * its own time and size bound inside one deadline for the port.
 */

export interface DispatchOptions {
  /** The name the user gave, for TLS SNI and the certificate name check. */
  hostname?: string;
  /** Bound of each protocol probe. */
  probe: ProbeOptions;
  /** How long to wait for a server that speaks first. */
  bannerWaitMs: number;
  /** Bound of everything done on this port. */
  portBudgetMs: number;
}

const SMB_PORTS = new Set([139, 445]);

export type ProbeFindings = Omit<PortReport, "port" | "protocol" | "state">;

/** Errors from a probe are facts about the peer, not failures of the scan: they become "not that protocol". */
async function guarded<T>(
  run: () => Promise<T | undefined>,
  onError: (message: string) => void,
): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    onError(error instanceof Error ? error.message : String(error));
    return undefined;
  }
}

/** The broker's own `$SYS/broker/version` ("mosquitto version 2.0.11"), seen only when anonymous access is on. */
function productOfMqtt(mqtt: NonNullable<PortReport["mqtt"]>): { product?: string } {
  return mqtt.brokerVersion ? { product: mqtt.brokerVersion.replace(/^mosquitto version /i, "Mosquitto ") } : {};
}

function productOfHttp(http: NonNullable<PortReport["http"]>): string | undefined {
  if (http.homeAssistant !== undefined) {
    return http.homeAssistant.version === undefined ? "Home Assistant" : `Home Assistant ${http.homeAssistant.version}`;
  }
  if (http.bannedResponse !== undefined) return `${http.bannedResponse.server} (403: this address is banned)`;
  return http.server ? http.server.slice(0, 80) : undefined;
}

export async function probePort(
  address: string,
  port: number,
  options: DispatchOptions,
  onError: (message: string) => void = () => {},
): Promise<ProbeFindings> {
  const deadline = Date.now() + options.portBudgetMs;
  const bounds = (): ProbeOptions => ({
    maxBytes: options.probe.maxBytes,
    timeoutMs: Math.max(1, Math.min(options.probe.timeoutMs, deadline - Date.now())),
  });
  const timeLeft = () => deadline - Date.now() > 20;
  const fail = (what: string) => (message: string) => onError(`${what} probe on port ${port}: ${message}`);

  // 1. a server that speaks first
  const banner = await readBanner(
    address,
    port,
    Math.min(options.bannerWaitMs, options.portBudgetMs),
    options.probe.maxBytes,
  );
  if (banner === undefined) return {};
  if (banner.startsWith("SSH-")) {
    const ssh = await guarded(() => probeSsh(address, port, bounds()), fail("ssh"));
    return {
      service: "ssh",
      product: ssh?.software ?? banner.slice(4, 84),
      ...(ssh === undefined ? { banner } : { ssh }),
    };
  }
  if (banner.length > 0) return { service: banner.startsWith("220") ? "ftp-or-smtp" : "unknown", banner };

  // On SMB's own ports, ask SMB first: smbd reads a TLS or HTTP opening as the start of a huge NetBIOS
  // message and waits for the rest, so each wrong guess would cost a whole probe timeout.
  if (SMB_PORTS.has(port)) {
    const smb = await guarded(() => probeSmb(address, port, bounds()), fail("smb"));
    if (smb !== undefined) return { service: "smb", smb };
  }

  // 2. TLS, then HTTP (or MQTT) inside it
  const servername = options.hostname;
  if (!timeLeft()) return {};
  const tlsInfo = await guarded(
    () => probeTls(address, port, { ...bounds(), ...(servername ? { servername } : {}) }),
    fail("tls"),
  );
  if (tlsInfo !== undefined) {
    const result: ProbeFindings = { service: "tls", tls: true, tlsInfo };
    const http = timeLeft()
      ? await guarded(
          () => probeHttp({ host: address, port, tls: true, ...(servername ? { servername } : {}) }, bounds()),
          fail("https"),
        )
      : undefined;
    if (http !== undefined) {
      const product = productOfHttp(http);
      return {
        ...result,
        service: http.homeAssistant ? "home-assistant" : "https",
        http,
        ...(product ? { product } : {}),
      };
    }
    const mqtt = timeLeft()
      ? await guarded(() => probeMqtt(address, port, { ...bounds(), transport: "mqtts" }), fail("mqtts"))
      : undefined;
    return mqtt === undefined ? result : { ...result, service: "mqtts", mqtt, ...productOfMqtt(mqtt) };
  }

  // 3. plain HTTP
  if (!timeLeft()) return {};
  const http = await guarded(() => probeHttp({ host: address, port, tls: false }, bounds()), fail("http"));
  if (http !== undefined) {
    const product = productOfHttp(http);
    const base: ProbeFindings = {
      service: http.homeAssistant ? "home-assistant" : "http",
      tls: false,
      http,
      ...(product ? { product } : {}),
    };
    if (http.homeAssistant !== undefined || !timeLeft()) return base;
    // brokers offer MQTT over websockets on an HTTP port (Mosquitto's `protocol websockets` listener)
    const mqttWs = await guarded(() => probeMqtt(address, port, { ...bounds(), transport: "ws" }), fail("mqtt-ws"));
    return mqttWs === undefined ? base : { ...base, service: "mqtt-ws", mqtt: mqttWs, ...productOfMqtt(mqttWs) };
  }

  // 4. MQTT, 5. SMB
  if (!timeLeft()) return {};
  const mqtt = await guarded(() => probeMqtt(address, port, bounds()), fail("mqtt"));
  if (mqtt !== undefined) return { service: "mqtt", tls: false, mqtt, ...productOfMqtt(mqtt) };
  // Mosquitto's websockets listener (libwebsockets) does not answer a plain GET as HTTP: ask it directly
  if (!timeLeft()) return {};
  const mqttWs = await guarded(() => probeMqtt(address, port, { ...bounds(), transport: "ws" }), fail("mqtt-ws"));
  if (mqttWs !== undefined) return { service: "mqtt-ws", tls: false, mqtt: mqttWs, ...productOfMqtt(mqttWs) };
  if (!timeLeft() || SMB_PORTS.has(port)) return {};
  const smb = await guarded(() => probeSmb(address, port, bounds()), fail("smb"));
  if (smb !== undefined) return { service: "smb", smb };
  return {};
}

/**
 * What the server says before we say anything, as one printable line ("" when it stayed silent).
 * Undefined when the port no longer accepts connections.
 */
async function readBanner(
  address: string,
  port: number,
  waitMs: number,
  maxBytes: number,
): Promise<string | undefined> {
  const socket = await openSocket({ host: address, port }, Math.max(waitMs, 1000));
  if (socket === undefined) return undefined;
  try {
    // a line is enough to recognise a server; the cap also ends a megabyte banner early
    const read = await readBounded(socket, { timeoutMs: waitMs, maxBytes: Math.min(maxBytes, 4096) }, (data) =>
      data.includes(10),
    );
    return read.data.length === 0 ? "" : printableLine(read.data);
  } finally {
    socket.destroy();
  }
}
