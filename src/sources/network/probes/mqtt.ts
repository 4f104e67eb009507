import { randomBytes } from "node:crypto";
import WebSocket from "ws";
import { maskSecret } from "../../../model/mask.js";
import type { MqttProbeResult, MqttTransport } from "../../../model/network-probes.js";
import { BoundedReader, ProbeError, ProbeSocket } from "./io.js";
import {
  decodePublish,
  encodeAnonymousConnect,
  encodeDisconnect,
  encodeSubscribe,
  encodeVersionProbeConnect,
  PacketType,
  readPacket,
} from "./mqtt-codec.js";
import type { ProbeOptions } from "./options.js";

export interface MqttProbeOptions extends ProbeOptions {
  /** `mqtt` by default; the dispatcher picks `mqtts` on TLS ports and `ws`/`wss` on websocket endpoints. */
  transport?: MqttTransport;
  /** Websocket path, `/mqtt` by default (Mosquitto ignores it; other brokers use `/mqtt`). */
  wsPath?: string;
  /** How long to listen to the topics once subscribed; default 2 s, always within `timeoutMs`. */
  listenMs?: number;
  /**
   * Send the anonymous CONNECT (`--login-probes`). Off by default: Mosquitto logs a refused one as
   * "Client <unknown> disconnected, not authorised.", the line it writes for a wrong password.
   */
  anonymous?: boolean;
}

/** What an anonymous subscriber to these sees is what anyone on the network sees. */
export const LEAK_FILTERS = ["$SYS/#", "homeassistant/#"];
const MAX_SAMPLES = 10;
const MAX_TRACKED_TOPICS = 10_000;

interface Transport {
  reader: BoundedReader;
  write(data: Buffer): void;
  close(): void;
}

/**
 * Sends an anonymous CONNECT (no user name, no password). When the broker accepts it, subscribes to
 * `$SYS/#` and `homeassistant/#` for a bounded moment and reports what leaked, payloads masked.
 * Undefined when the port does not answer like an MQTT broker.
 */
export async function probeMqtt(
  host: string,
  port: number,
  opts: MqttProbeOptions,
): Promise<MqttProbeResult | undefined> {
  const transportKind = opts.transport ?? "mqtt";
  let transport: Transport;
  try {
    transport = await openTransport(host, port, transportKind, opts);
  } catch (err) {
    if (err instanceof ProbeError) return undefined;
    throw err;
  }
  try {
    const clientId = `hassguard-${randomBytes(4).toString("hex")}`;
    if (opts.anonymous !== true) {
      // a broker answers CONNACK to a CONNECT whose protocol level it cannot accept, before any login
      const code = await connackCode(transport, encodeVersionProbeConnect(clientId));
      if (code === undefined) return undefined;
      return { transport: transportKind, connackCode: code, anonymousAccepted: false, anonymousNotAsked: true };
    }
    const code = await connackCode(transport, encodeAnonymousConnect(clientId, 30));
    if (code === undefined) return undefined;
    if (code !== 0) return { transport: transportKind, connackCode: code, anonymousAccepted: false };
    return { transport: transportKind, connackCode: code, anonymousAccepted: true, ...(await listen(transport, opts)) };
  } finally {
    transport.close();
  }
}

/** Sends a CONNECT; the CONNACK's return code, or undefined when the peer does not answer like a broker. */
async function connackCode(transport: Transport, connect: Buffer): Promise<number | undefined> {
  transport.write(connect);
  let connack: Awaited<ReturnType<typeof readPacket>>;
  try {
    connack = await readPacket(transport.reader);
  } catch (err) {
    if (err instanceof ProbeError) return undefined;
    throw err;
  }
  if (!connack || connack.type !== PacketType.CONNACK || connack.body.length !== 2) return undefined;
  return connack.body.readUInt8(1);
}

async function listen(transport: Transport, opts: MqttProbeOptions): Promise<Partial<MqttProbeResult>> {
  transport.write(encodeSubscribe(1, LEAK_FILTERS));
  const until = Math.min(Date.now() + (opts.listenMs ?? 2000), transport.reader.deadline - 50);
  const payloads = new Map<string, Buffer>();
  let truncated = false;
  try {
    for (;;) {
      const pkt = await readPacket(transport.reader, until);
      if (!pkt) break;
      if (pkt.type !== PacketType.PUBLISH) continue;
      const { topic, payload } = decodePublish(pkt);
      if (payloads.size < MAX_TRACKED_TOPICS || payloads.has(topic)) payloads.set(topic, payload);
    }
  } catch (err) {
    if (!(err instanceof ProbeError)) throw err;
    // The broker closed, went silent past the deadline or flooded us: report what was seen so far.
    truncated = err.reason === "too-large";
  }
  transport.write(encodeDisconnect());
  const topics = [...payloads.keys()];
  const version = payloads.get("$SYS/broker/version")?.toString("utf8").slice(0, 80);
  return {
    subscribed: LEAK_FILTERS,
    topicCount: topics.length,
    homeAssistantTopicCount: topics.filter((t) => t.startsWith("homeassistant/")).length,
    samples: pickSamples(topics).map((topic) => ({
      topic,
      payload: maskSecret(payloads.get(topic)?.toString("utf8")),
    })),
    ...(version ? { brokerVersion: version } : {}),
    ...(truncated ? { truncated } : {}),
  };
}

/** Home Assistant topics first (they say what the home contains), then broker internals. */
function pickSamples(topics: string[]): string[] {
  const ha = topics.filter((t) => t.startsWith("homeassistant/")).sort();
  const others = topics.filter((t) => !t.startsWith("homeassistant/")).sort();
  const half = MAX_SAMPLES / 2;
  return [...ha.slice(0, half), ...others, ...ha.slice(half)].slice(0, MAX_SAMPLES);
}

async function openTransport(host: string, port: number, kind: MqttTransport, opts: ProbeOptions): Promise<Transport> {
  if (kind === "mqtt" || kind === "mqtts") {
    const sock = await ProbeSocket.connect(host, port, opts, { tls: kind === "mqtts" });
    return { reader: sock, write: (data) => sock.write(data), close: () => sock.close() };
  }
  return openWebSocket(host, port, kind === "wss", (opts as MqttProbeOptions).wsPath ?? "/mqtt", opts);
}

function openWebSocket(
  host: string,
  port: number,
  secure: boolean,
  path: string,
  opts: ProbeOptions,
): Promise<Transport> {
  const deadline = Date.now() + opts.timeoutMs;
  const hostPart = host.includes(":") ? `[${host}]` : host;
  const ws = new WebSocket(`${secure ? "wss" : "ws"}://${hostPart}:${port}${path}`, ["mqtt"], {
    handshakeTimeout: opts.timeoutMs,
    maxPayload: opts.maxBytes,
    rejectUnauthorized: false,
  });
  const reader = new BoundedReader(deadline, opts.maxBytes, () => ws.terminate());
  return new Promise((resolve, reject) => {
    ws.on("message", (data: Buffer) => reader.push(Buffer.isBuffer(data) ? data : Buffer.from(data)));
    ws.on("close", () => reader.fail(new ProbeError("websocket closed", "closed")));
    ws.on("error", (err) => {
      reader.fail(new ProbeError(`websocket error: ${err.message}`, "closed"));
      reject(new ProbeError(`websocket error: ${err.message}`, "connect"));
    });
    ws.on("open", () =>
      resolve({
        reader,
        write: (data) => {
          if (ws.readyState === WebSocket.OPEN) ws.send(data);
        },
        close: () => ws.terminate(),
      }),
    );
  });
}
