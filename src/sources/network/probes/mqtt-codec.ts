import { type BoundedReader, ProbeError } from "./io.js";

/** MQTT 3.1.1 control packet types (OASIS MQTT 3.1.1 §2.2.1): every broker speaks this version. */
export const PacketType = { CONNECT: 1, CONNACK: 2, PUBLISH: 3, SUBSCRIBE: 8, SUBACK: 9, DISCONNECT: 14 } as const;

export interface MqttPacket {
  type: number;
  flags: number;
  body: Buffer;
}

function encodeLength(length: number): Buffer {
  const bytes: number[] = [];
  let rest = length;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0);
  return Buffer.from(bytes);
}

function encodeString(text: string): Buffer {
  const bytes = Buffer.from(text, "utf8");
  const length = Buffer.alloc(2);
  length.writeUInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function packet(type: number, flags: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(type << 4) | flags]), encodeLength(body.length), body]);
}

/** CONNECT with no user name and no password: exactly what an anonymous client sends. */
export function encodeAnonymousConnect(clientId: string, keepAliveSeconds: number): Buffer {
  const header = Buffer.concat([
    encodeString("MQTT"),
    Buffer.from([4, 0x02, keepAliveSeconds >> 8, keepAliveSeconds & 0xff]),
  ]);
  return packet(PacketType.CONNECT, 0, Buffer.concat([header, encodeString(clientId)]));
}

/**
 * CONNECT with protocol level 0, which no MQTT version uses (3.1 is 3, 3.1.1 is 4, 5 is 5): a broker answers
 * CONNACK 1 "unacceptable protocol version" (MQTT 3.1.1 §3.1.2.2) before any authentication. Mosquitto logs
 * "Invalid protocol version 0 in CONNECT from …" and a protocol error, never "not authorised": this tells an
 * MQTT broker without a login attempt.
 */
export function encodeVersionProbeConnect(clientId: string): Buffer {
  const header = Buffer.concat([encodeString("MQTT"), Buffer.from([0, 0x02, 0, 30])]);
  return packet(PacketType.CONNECT, 0, Buffer.concat([header, encodeString(clientId)]));
}

export function encodeSubscribe(packetId: number, filters: string[]): Buffer {
  const id = Buffer.from([packetId >> 8, packetId & 0xff]);
  const topics = filters.map((filter) => Buffer.concat([encodeString(filter), Buffer.from([0])]));
  return packet(PacketType.SUBSCRIBE, 0x02, Buffer.concat([id, ...topics]));
}

export function encodeDisconnect(): Buffer {
  return Buffer.from([PacketType.DISCONNECT << 4, 0]);
}

/**
 * Reads one packet. `until` lets the caller stop waiting early (undefined then); the reader's own
 * deadline and byte cap still apply to a packet already begun.
 */
export async function readPacket(reader: BoundedReader, until?: number): Promise<MqttPacket | undefined> {
  const first = until === undefined ? await reader.read(1) : await reader.readBefore(1, until);
  if (!first) return undefined;
  const byte = first.readUInt8(0);
  let length = 0;
  let multiplier = 1;
  for (let i = 0; ; i++) {
    if (i >= 4) throw new ProbeError("malformed MQTT remaining length", "protocol");
    const digit = (await reader.read(1)).readUInt8(0);
    length += (digit & 0x7f) * multiplier;
    multiplier *= 128;
    if ((digit & 0x80) === 0) break;
  }
  const body = length === 0 ? Buffer.alloc(0) : await reader.read(length);
  return { type: byte >> 4, flags: byte & 0x0f, body };
}

export function decodePublish(pkt: MqttPacket): { topic: string; payload: Buffer } {
  if (pkt.body.length < 2) throw new ProbeError("truncated PUBLISH", "protocol");
  const topicLength = pkt.body.readUInt16BE(0);
  if (2 + topicLength > pkt.body.length) throw new ProbeError("truncated PUBLISH topic", "protocol");
  const topic = pkt.body.subarray(2, 2 + topicLength).toString("utf8");
  const qos = (pkt.flags >> 1) & 0x03;
  // QoS 1 and 2 carry a packet identifier before the payload; we subscribe at QoS 0, but be lenient.
  const payloadStart = 2 + topicLength + (qos > 0 ? 2 : 0);
  return { topic, payload: pkt.body.subarray(payloadStart) };
}
