import { ProbeError } from "./io.js";

/**
 * Just enough DCE/RPC (C706 ch. 12) and NDR to call srvsvc NetrShareEnum ([MS-SRVS] §3.1.4.8, opnum 15)
 * at level 1: the share names, types and remarks a server gives anonymous callers.
 */

const PTYPE = { REQUEST: 0, RESPONSE: 2, FAULT: 3, BIND: 11, BIND_ACK: 12 } as const;
const SRVSVC = { uuid: "4b324fc8-1670-01d3-1278-5a47bf6ee188", major: 3, minor: 0 };
const NDR32 = { uuid: "8a885d04-1ceb-11c9-9fe8-08002b104860", version: 2 };
const OPNUM_NETR_SHARE_ENUM = 15;
const MAX_FRAGMENT = 4280;
const MAX_SHARES = 1000;

function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, "");
  const out = Buffer.from(hex, "hex");
  // the first three fields are little-endian on the wire
  out.subarray(0, 4).reverse();
  out.subarray(4, 6).reverse();
  out.subarray(6, 8).reverse();
  return out;
}

function pdu(type: number, callId: number, body: Buffer): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt8(5, 0);
  header.writeUInt8(0, 1);
  header.writeUInt8(type, 2);
  header.writeUInt8(0x03, 3); // first and last fragment
  header.writeUInt32LE(0x10, 4); // little-endian integers, ASCII, IEEE floats
  header.writeUInt16LE(16 + body.length, 8);
  header.writeUInt32LE(callId, 12);
  return Buffer.concat([header, body]);
}

export function bindSrvsvc(): Buffer {
  const body = Buffer.alloc(12 + 44);
  body.writeUInt16LE(MAX_FRAGMENT, 0);
  body.writeUInt16LE(MAX_FRAGMENT, 2);
  body.writeUInt8(1, 8); // one presentation context
  body.writeUInt16LE(0, 12); // context id
  body.writeUInt8(1, 14); // one transfer syntax
  uuidBytes(SRVSVC.uuid).copy(body, 16);
  body.writeUInt16LE(SRVSVC.major, 32);
  body.writeUInt16LE(SRVSVC.minor, 34);
  uuidBytes(NDR32.uuid).copy(body, 36);
  body.writeUInt32LE(NDR32.version, 52);
  return pdu(PTYPE.BIND, 1, body);
}

/** Throws unless the answer is a BIND_ACK accepting our one context. */
export function checkBindAck(answer: Buffer): void {
  if (answer.length < 26 || answer.readUInt8(2) !== PTYPE.BIND_ACK)
    throw new ProbeError("srvsvc bind refused", "protocol");
  const secondaryAddressLength = answer.readUInt16LE(24);
  let pos = 26 + secondaryAddressLength;
  pos += (4 - (pos % 4)) % 4;
  if (pos + 6 > answer.length) throw new ProbeError("truncated bind ack", "protocol");
  if (answer.readUInt8(pos) < 1 || answer.readUInt16LE(pos + 4) !== 0)
    throw new ProbeError("srvsvc context rejected", "protocol");
}

function ndrString(text: string): Buffer {
  const chars = Buffer.from(`${text}\0`, "utf16le");
  const count = chars.length / 2;
  const head = Buffer.alloc(12);
  head.writeUInt32LE(count, 0);
  head.writeUInt32LE(0, 4);
  head.writeUInt32LE(count, 8);
  return Buffer.concat([head, chars, Buffer.alloc((4 - (chars.length % 4)) % 4)]);
}

export function netShareEnumRequest(server: string): Buffer {
  const stub = Buffer.concat([
    Buffer.from([0x00, 0x00, 0x02, 0x00]), // unique pointer to ServerName
    ndrString(`\\\\${server}`),
    u32(1), // InfoStruct.Level
    u32(1), // union switch
    Buffer.from([0x04, 0x00, 0x02, 0x00]), // pointer to SHARE_INFO_1_CONTAINER
    u32(0), // EntriesRead
    u32(0), // Buffer: null
    u32(0xffffffff), // PreferedMaximumLength: everything
    u32(0), // ResumeHandle: null
  ]);
  const head = Buffer.alloc(8);
  head.writeUInt32LE(stub.length, 0);
  head.writeUInt16LE(0, 4);
  head.writeUInt16LE(OPNUM_NETR_SHARE_ENUM, 6);
  return pdu(PTYPE.REQUEST, 2, Buffer.concat([head, stub]));
}

function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value >>> 0);
  return out;
}

export interface ShareInfo {
  name: string;
  /** STYPE_DISKTREE 0, STYPE_PRINTQ 1, STYPE_IPC 3; the 0x80000000 bit marks hidden admin shares. */
  type: number;
  remark: string;
}

/** Reads the NDR of a NetrShareEnum level-1 response; every count and offset is checked. */
export function parseNetShareEnum(answer: Buffer): ShareInfo[] {
  if (answer.length < 24) throw new ProbeError("truncated RPC response", "protocol");
  const type = answer.readUInt8(2);
  if (type === PTYPE.FAULT) throw new ProbeError(`srvsvc fault 0x${answer.readUInt32LE(24).toString(16)}`, "protocol");
  if (type !== PTYPE.RESPONSE) throw new ProbeError("not an RPC response", "protocol");
  const stub = answer.subarray(24, Math.min(answer.length, answer.readUInt16LE(8)));
  let pos = 0;
  const need = (n: number): void => {
    if (pos + n > stub.length) throw new ProbeError("truncated share list", "protocol");
  };
  const read32 = (): number => {
    need(4);
    const value = stub.readUInt32LE(pos);
    pos += 4;
    return value;
  };
  const readString = (): string => {
    read32(); // max count
    read32(); // offset
    const count = read32();
    need(count * 2);
    const text = stub
      .subarray(pos, pos + count * 2)
      .toString("utf16le")
      .replace(/\0+$/, "");
    pos += count * 2;
    pos += (4 - (pos % 4)) % 4;
    return text;
  };
  read32(); // level
  read32(); // switch
  if (read32() === 0) return [];
  const count = read32();
  if (read32() === 0 || count === 0) return [];
  if (count > MAX_SHARES || read32() !== count) throw new ProbeError("implausible share count", "protocol");
  const entries: Array<{ namePtr: number; type: number; remarkPtr: number }> = [];
  for (let i = 0; i < count; i++) entries.push({ namePtr: read32(), type: read32(), remarkPtr: read32() });
  return entries.map((entry) => ({
    name: entry.namePtr === 0 ? "" : readString(),
    type: entry.type,
    remark: entry.remarkPtr === 0 ? "" : readString(),
  }));
}
