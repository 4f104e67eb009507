import { ProbeError, type ProbeSocket } from "./io.js";

/**
 * SMB transport framing and the SMB2 header ([MS-SMB2] §2.1, §2.2.1). Every message travels in a
 * 4-byte "direct TCP" / NetBIOS session header whose low 24 bits are the length.
 */
export const Smb2Command = {
  NEGOTIATE: 0x00,
  SESSION_SETUP: 0x01,
  TREE_CONNECT: 0x03,
  TREE_DISCONNECT: 0x04,
  CREATE: 0x05,
  CLOSE: 0x06,
  IOCTL: 0x0b,
  QUERY_DIRECTORY: 0x0e,
} as const;

export const NtStatus = {
  SUCCESS: 0x00000000,
  PENDING: 0x00000103,
  BUFFER_OVERFLOW: 0x80000005,
  MORE_PROCESSING_REQUIRED: 0xc0000016,
  NO_MORE_FILES: 0x80000006,
} as const;

const SMB2_MAGIC = Buffer.from([0xfe, 0x53, 0x4d, 0x42]);
const SMB1_MAGIC = Buffer.from([0xff, 0x53, 0x4d, 0x42]);
export const SMB2_HEADER_SIZE = 64;
const FLAG_SERVER_TO_REDIR = 0x1;
const FLAG_ASYNC = 0x2;
/** An SMB message we are willing to take; a share list or directory page is far below this. */
const MAX_MESSAGE = 256 * 1024;
/** Interim STATUS_PENDING answers tolerated before the final one. */
const MAX_INTERIM = 8;

export interface Smb2Response {
  status: number;
  command: number;
  sessionId: bigint;
  treeId: number;
  /** The whole SMB2 message: offsets in SMB2 bodies count from the header's first byte. */
  message: Buffer;
  body: Buffer;
}

function frame(payload: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(payload.length & 0xffffff);
  return Buffer.concat([header, payload]);
}

/** Reads one framed message (any SMB version); session keep-alives (type 0x85) are skipped. */
export async function readFrame(sock: ProbeSocket): Promise<Buffer> {
  for (let i = 0; i < MAX_INTERIM; i++) {
    const header = await sock.read(4);
    const type = header.readUInt8(0);
    const length = header.readUInt32BE(0) & 0xffffff;
    if (type === 0x85 && length === 0) continue;
    if (type !== 0x00 || length > MAX_MESSAGE) throw new ProbeError("not an SMB session message", "protocol");
    return sock.read(length);
  }
  throw new ProbeError("too many keep-alives", "protocol");
}

/**
 * NetBIOS session request (RFC 1002 §4.3.2), needed before SMB on port 139. The called name
 * `*SMBSERVER` is the wildcard every SMB server answers to.
 */
export async function netbiosSessionRequest(sock: ProbeSocket): Promise<void> {
  const encode = (name: string, suffix: number): Buffer => {
    const raw = Buffer.alloc(16, 0x20);
    raw.write(name.slice(0, 15), "latin1");
    raw.writeUInt8(suffix, 15);
    const out = Buffer.alloc(34);
    out.writeUInt8(32, 0);
    for (let i = 0; i < 16; i++) {
      const byte = raw.readUInt8(i);
      out.writeUInt8(0x41 + (byte >> 4), 1 + 2 * i);
      out.writeUInt8(0x41 + (byte & 0x0f), 2 + 2 * i);
    }
    return out;
  };
  const body = Buffer.concat([encode("*SMBSERVER", 0x20), encode("HASSGUARD", 0x00)]);
  const header = Buffer.from([0x81, 0, 0, body.length]);
  sock.write(Buffer.concat([header, body]));
  const answer = await sock.read(4);
  const rest = answer.readUInt16BE(2);
  if (rest > 0) await sock.read(rest);
  if (answer.readUInt8(0) !== 0x82) throw new ProbeError("NetBIOS session refused", "protocol");
}

/**
 * An SMB1 NEGOTIATE offering only `NT LM 0.12` ([MS-CIFS] §2.2.4.52). A server that picks it still
 * speaks SMB1; one with SMB1 off refuses, closes or answers in SMB2. Returns the SMB1 security mode
 * when SMB1 was accepted, undefined otherwise.
 */
export async function negotiateSmb1(sock: ProbeSocket): Promise<{ signingRequired: boolean } | undefined> {
  const header = Buffer.alloc(32);
  SMB1_MAGIC.copy(header, 0);
  header.writeUInt8(0x72, 4); // SMB_COM_NEGOTIATE
  header.writeUInt8(0x18, 9); // case-insensitive paths, canonicalised
  header.writeUInt16LE(0xc801, 10); // unicode, NT status codes, extended security, long names
  header.writeUInt16LE(0xffff, 24); // TID
  header.writeUInt16LE(0xfeff, 26); // PID
  const dialect = Buffer.concat([Buffer.from([0x02]), Buffer.from("NT LM 0.12\0", "latin1")]);
  const params = Buffer.alloc(3);
  params.writeUInt16LE(dialect.length, 1); // WordCount 0, then ByteCount
  sock.write(frame(Buffer.concat([header, params, dialect])));
  let answer: Buffer;
  try {
    answer = await readFrame(sock);
  } catch (err) {
    if (err instanceof ProbeError && err.reason === "closed") return undefined;
    throw err;
  }
  if (answer.subarray(0, 4).equals(SMB2_MAGIC)) return undefined;
  if (!answer.subarray(0, 4).equals(SMB1_MAGIC) || answer.length < 37 || answer.readUInt8(4) !== 0x72) {
    throw new ProbeError("not an SMB1 negotiate response", "protocol");
  }
  const wordCount = answer.readUInt8(32);
  const dialectIndex = answer.readUInt16LE(33);
  if (wordCount !== 17 || dialectIndex !== 0) return undefined;
  return { signingRequired: (answer.readUInt8(35) & 0x08) !== 0 };
}

/** One SMB2 conversation: message ids, the session id and credits handled in one place. */
export class Smb2Connection {
  private nextMessageId = 0n;
  sessionId = 0n;

  constructor(readonly sock: ProbeSocket) {}

  async request(command: number, body: Buffer, treeId = 0): Promise<Smb2Response> {
    const messageId = this.nextMessageId++;
    const header = Buffer.alloc(SMB2_HEADER_SIZE);
    SMB2_MAGIC.copy(header, 0);
    header.writeUInt16LE(SMB2_HEADER_SIZE, 4);
    header.writeUInt16LE(command === Smb2Command.NEGOTIATE ? 0 : 1, 6); // credit charge
    header.writeUInt16LE(command, 12);
    header.writeUInt16LE(32, 14); // credits requested: enough for every request we make
    header.writeBigUInt64LE(messageId, 24);
    header.writeUInt32LE(treeId, 36);
    header.writeBigUInt64LE(this.sessionId, 40);
    this.sock.write(frame(Buffer.concat([header, body])));
    for (let i = 0; i < MAX_INTERIM; i++) {
      const response = parseSmb2(await readFrame(this.sock));
      if (response.status === NtStatus.PENDING && (response.message.readUInt32LE(16) & FLAG_ASYNC) !== 0) continue;
      if (response.message.readBigUInt64LE(24) !== messageId) continue;
      if (response.command !== command) throw new ProbeError("SMB2 answer to another command", "protocol");
      return response;
    }
    throw new ProbeError("SMB2 request never completed", "protocol");
  }
}

export function parseSmb2(message: Buffer): Smb2Response {
  if (message.length < SMB2_HEADER_SIZE || !message.subarray(0, 4).equals(SMB2_MAGIC)) {
    throw new ProbeError("not an SMB2 message", "protocol");
  }
  if ((message.readUInt32LE(16) & FLAG_SERVER_TO_REDIR) === 0)
    throw new ProbeError("SMB2 request, not response", "protocol");
  return {
    status: message.readUInt32LE(8),
    command: message.readUInt16LE(12),
    treeId: message.readUInt32LE(36),
    sessionId: message.readBigUInt64LE(40),
    message,
    body: message.subarray(SMB2_HEADER_SIZE),
  };
}

/** A slice of an SMB2 message given as offset-from-header and length, checked against the message. */
export function sliceAt(message: Buffer, offset: number, length: number): Buffer {
  if (offset + length > message.length) throw new ProbeError("SMB2 field points outside the message", "protocol");
  return message.subarray(offset, offset + length);
}
