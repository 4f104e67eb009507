import type { PortReport } from "../../model/network-facts.js";
import type { HttpProbeResult } from "../../model/network-probes.js";
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
 * one gets a TLS ClientHello, then plain HTTP (plain HTTP first on `PLAIN_HTTP_FIRST_PORTS`, Home Assistant's
 * 8123 among them), then an MQTT CONNECT (plain, then over websockets), then an SMB negotiate. Every step has
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
  /** Also send what a service logs as a failed login (ScanNetworkOptions.loginProbes). */
  loginProbes?: boolean;
  /** Ports asked in plain HTTP before TLS (default `PLAIN_HTTP_FIRST_PORTS`). */
  plainHttpFirstPorts?: readonly number[];
}

const SMB_PORTS = new Set([139, 445]);

/**
 * Silent ports where plain HTTP is the usual answer, so it is asked first: a TLS ClientHello is a malformed
 * request to a plain HTTP server. Home Assistant's aiohttp 3.8 answers it with a 400 that carries its Server
 * header and logs "Error handling request" at ERROR with a traceback (aiohttp web_protocol.py `handle_error`);
 * nginx logs a 400, which fail2ban's stock `nginx-bad-request` filter counts. Elsewhere TLS stays first: a
 * plain request is the malformed one for a TLS server (nginx answers it 400 too).
 */
export const PLAIN_HTTP_FIRST_PORTS: readonly number[] = [80, 1880, 3000, 6052, 8000, 8080, 8123, 8971, 9000];

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
    const ssh = await guarded(
      () => probeSsh(address, port, { ...bounds(), authMethods: options.loginProbes === true }),
      fail("ssh"),
    );
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
    const smb = await guarded(
      () => probeSmb(address, port, { ...bounds(), sessions: options.loginProbes === true }),
      fail("smb"),
    );
    if (smb !== undefined) return { service: "smb", smb };
  }

  // 2. plain HTTP first where that is the usual answer
  const plainFirst = (options.plainHttpFirstPorts ?? PLAIN_HTTP_FIRST_PORTS).includes(port);
  const askPlainHttp = async (): Promise<ProbeFindings | undefined> => {
    if (!timeLeft()) return undefined;
    const http = await guarded(() => probeHttp({ host: address, port, tls: false }, bounds()), fail("http"));
    return http === undefined
      ? undefined
      : plainHttpFindings(address, port, http, bounds, timeLeft, fail, options.loginProbes === true);
  };
  if (plainFirst) {
    const found = await askPlainHttp();
    if (found !== undefined) return found;
  }

  // 3. TLS, then HTTP (or MQTT) inside it
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
      ? await guarded(
          () => probeMqtt(address, port, { ...bounds(), transport: "mqtts", anonymous: options.loginProbes === true }),
          fail("mqtts"),
        )
      : undefined;
    return mqtt === undefined ? result : { ...result, service: "mqtts", mqtt, ...productOfMqtt(mqtt) };
  }

  // plain HTTP, where it was not asked first
  if (!plainFirst) {
    const found = await askPlainHttp();
    if (found !== undefined) return found;
  }

  // 4. MQTT, 5. SMB
  if (!timeLeft()) return {};
  const mqtt = await guarded(
    () => probeMqtt(address, port, { ...bounds(), anonymous: options.loginProbes === true }),
    fail("mqtt"),
  );
  if (mqtt !== undefined) return { service: "mqtt", tls: false, mqtt, ...productOfMqtt(mqtt) };
  // Mosquitto's websockets listener (libwebsockets) does not answer a plain GET as HTTP: ask it directly
  if (!timeLeft()) return {};
  const mqttWs = await guarded(
    () => probeMqtt(address, port, { ...bounds(), transport: "ws", anonymous: options.loginProbes === true }),
    fail("mqtt-ws"),
  );
  if (mqttWs !== undefined) return { service: "mqtt-ws", tls: false, mqtt: mqttWs, ...productOfMqtt(mqttWs) };
  if (!timeLeft() || SMB_PORTS.has(port)) return {};
  const smb = await guarded(
    () => probeSmb(address, port, { ...bounds(), sessions: options.loginProbes === true }),
    fail("smb"),
  );
  if (smb !== undefined) return { service: "smb", smb };
  return {};
}

/** A plain HTTP port: Home Assistant, a web server, or a broker's websockets listener. */
async function plainHttpFindings(
  address: string,
  port: number,
  http: HttpProbeResult,
  bounds: () => ProbeOptions,
  timeLeft: () => boolean,
  fail: (what: string) => (message: string) => void,
  loginProbes: boolean,
): Promise<ProbeFindings> {
  const product = productOfHttp(http);
  const base: ProbeFindings = {
    service: http.homeAssistant ? "home-assistant" : "http",
    tls: false,
    http,
    ...(product ? { product } : {}),
  };
  if (http.homeAssistant !== undefined || http.bannedResponse !== undefined || !timeLeft()) return base;
  // brokers offer MQTT over websockets on an HTTP port (Mosquitto's `protocol websockets` listener)
  const mqttWs = await guarded(
    () => probeMqtt(address, port, { ...bounds(), transport: "ws", anonymous: loginProbes }),
    fail("mqtt-ws"),
  );
  return mqttWs === undefined ? base : { ...base, service: "mqtt-ws", mqtt: mqttWs, ...productOfMqtt(mqttWs) };
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
