import { ProbeError, type ProbeSocket } from "./io.js";

/** The algorithm lists of an SSH_MSG_KEXINIT (RFC 4253 §7.1). */
export interface KexInit {
  kexAlgorithms: string[];
  hostKeyAlgorithms: string[];
  ciphersClientToServer: string[];
  ciphersServerToClient: string[];
  macsClientToServer: string[];
  macsServerToClient: string[];
  compressionClientToServer: string[];
}

const SSH_MSG_KEXINIT = 20;
/** RFC 4253 §4.2: lines before the identification are allowed; bound how many we accept. */
const MAX_PRE_BANNER_LINES = 20;
const MAX_LINE = 1024;
/** RFC 4253 §6.1: implementations must handle packets of 35000 bytes; a KEXINIT is far smaller. */
const MAX_PACKET = 35000;

/** Reads the server's identification line; throws ProbeError when the peer is not an SSH server. */
export async function readSshBanner(sock: ProbeSocket): Promise<string> {
  for (let i = 0; i < MAX_PRE_BANNER_LINES; i++) {
    const line = (await sock.readUntil(Buffer.from("\n"), MAX_LINE)).toString("latin1").replace(/\r?\n$/, "");
    if (line.startsWith("SSH-")) {
      if (!/^SSH-(2\.0|1\.99)-\S+/.test(line))
        throw new ProbeError(`not an SSH-2 server: ${line.slice(0, 80)}`, "protocol");
      return line.slice(0, 255);
    }
    // Anything before the banner must be text; binary garbage means this is another protocol.
    if (hasBinary(line)) throw new ProbeError("binary data before an SSH banner", "protocol");
  }
  throw new ProbeError("no SSH banner within the first lines", "protocol");
}

/** Control characters other than tab, CR and LF: not a text line. */
function hasBinary(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return true;
  }
  return false;
}

/** Reads unencrypted packets until the server's KEXINIT (the first one it sends, per RFC 4253 §7.1). */
export async function readKexInit(sock: ProbeSocket): Promise<KexInit> {
  const header = await sock.read(5);
  const packetLength = header.readUInt32BE(0);
  const paddingLength = header.readUInt8(4);
  if (packetLength < 2 || packetLength > MAX_PACKET || paddingLength >= packetLength) {
    throw new ProbeError(`invalid SSH packet length ${packetLength}`, "protocol");
  }
  const rest = await sock.read(packetLength - 1);
  const payload = rest.subarray(0, packetLength - 1 - paddingLength);
  if (payload.readUInt8(0) !== SSH_MSG_KEXINIT) throw new ProbeError("first SSH packet is not KEXINIT", "protocol");
  const lists = parseNameLists(payload.subarray(17), 8);
  return {
    kexAlgorithms: lists[0] ?? [],
    hostKeyAlgorithms: lists[1] ?? [],
    ciphersClientToServer: lists[2] ?? [],
    ciphersServerToClient: lists[3] ?? [],
    macsClientToServer: lists[4] ?? [],
    macsServerToClient: lists[5] ?? [],
    compressionClientToServer: lists[6] ?? [],
  };
}

function parseNameLists(buf: Buffer, count: number): string[][] {
  const lists: string[][] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    if (offset + 4 > buf.length) throw new ProbeError("truncated KEXINIT", "protocol");
    const length = buf.readUInt32BE(offset);
    offset += 4;
    if (offset + length > buf.length) throw new ProbeError("truncated KEXINIT name-list", "protocol");
    const text = buf.subarray(offset, offset + length).toString("latin1");
    offset += length;
    lists.push(text.length === 0 ? [] : text.split(","));
  }
  return lists;
}
