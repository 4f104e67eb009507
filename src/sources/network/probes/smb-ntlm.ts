import { randomBytes } from "node:crypto";

/**
 * The NTLMSSP messages of an anonymous or guest logon ([MS-NLMP] §2.2.1), wrapped in SPNEGO
 * (RFC 4178) as SMB servers expect. No password is ever sent: anonymous carries no response at all,
 * the guest attempt a random one for a user name that does not exist (which Samba's
 * `map to guest = Bad User` and Windows' guest account turn into a guest session).
 */
const SIGNATURE = Buffer.from("NTLMSSP\0", "latin1");
const FLAGS = {
  UNICODE: 0x1,
  REQUEST_TARGET: 0x4,
  NTLM: 0x200,
  ANONYMOUS: 0x800,
  ALWAYS_SIGN: 0x8000,
  EXTENDED_SESSIONSECURITY: 0x80000,
  TARGET_INFO: 0x800000,
  N128: 0x20000000,
  N56: 0x80000000,
};
const BASE_FLAGS =
  (FLAGS.UNICODE |
    FLAGS.REQUEST_TARGET |
    FLAGS.NTLM |
    FLAGS.ALWAYS_SIGN |
    FLAGS.EXTENDED_SESSIONSECURITY |
    FLAGS.TARGET_INFO |
    FLAGS.N128 |
    FLAGS.N56) >>>
  0;

/** A user name that exists nowhere, so the server can only map it to guest or refuse it. */
export const GUEST_PROBE_USER = "hassguard-guest-probe";

export function ntlmNegotiate(): Buffer {
  const msg = Buffer.alloc(32);
  SIGNATURE.copy(msg, 0);
  msg.writeUInt32LE(1, 8);
  msg.writeUInt32LE(BASE_FLAGS, 12);
  return msg;
}

export function ntlmAuthenticate(kind: "anonymous" | "guest"): Buffer {
  const anonymous = kind === "anonymous";
  const fields: Buffer[] = anonymous
    ? [Buffer.alloc(1), Buffer.alloc(0), Buffer.alloc(0), Buffer.alloc(0), Buffer.alloc(0)]
    : [randomBytes(24), randomBytes(24), Buffer.alloc(0), Buffer.from(GUEST_PROBE_USER, "utf16le"), Buffer.alloc(0)];
  // LM response, NT response, domain, user, workstation, then an empty session key
  const header = Buffer.alloc(64);
  SIGNATURE.copy(header, 0);
  header.writeUInt32LE(3, 8);
  let offset = header.length;
  const all = [...fields, Buffer.alloc(0)];
  all.forEach((field, i) => {
    header.writeUInt16LE(field.length, 12 + i * 8);
    header.writeUInt16LE(field.length, 14 + i * 8);
    header.writeUInt32LE(offset, 16 + i * 8);
    offset += field.length;
  });
  header.writeUInt32LE((BASE_FLAGS | (anonymous ? FLAGS.ANONYMOUS : 0)) >>> 0, 60);
  return Buffer.concat([header, ...all]);
}

/** Names the server gives in its CHALLENGE target info (AV pairs, [MS-NLMP] §2.2.2.1). */
export interface ChallengeInfo {
  netbiosComputer?: string;
  netbiosDomain?: string;
  dnsComputer?: string;
}

export function parseChallenge(blob: Buffer): ChallengeInfo | undefined {
  const start = blob.indexOf(SIGNATURE);
  if (start < 0 || blob.length < start + 48) return undefined;
  const msg = blob.subarray(start);
  if (msg.readUInt32LE(8) !== 2) return undefined;
  const infoLength = msg.readUInt16LE(40);
  const infoOffset = msg.readUInt32LE(44);
  if (infoOffset + infoLength > msg.length) return {};
  const info = msg.subarray(infoOffset, infoOffset + infoLength);
  const out: ChallengeInfo = {};
  for (let pos = 0; pos + 4 <= info.length; ) {
    const id = info.readUInt16LE(pos);
    const length = info.readUInt16LE(pos + 2);
    if (id === 0 || pos + 4 + length > info.length) break;
    const value = info.subarray(pos + 4, pos + 4 + length).toString("utf16le");
    if (id === 1) out.netbiosComputer = value;
    if (id === 2) out.netbiosDomain = value;
    if (id === 3) out.dnsComputer = value;
    pos += 4 + length;
  }
  return out;
}

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  if (length < 0x100) return Buffer.from([0x81, length]);
  return Buffer.from([0x82, length >> 8, length & 0xff]);
}

function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

const SPNEGO_OID = Buffer.from([0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02]);
const NTLMSSP_OID = Buffer.from([0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a]);

/** SPNEGO NegTokenInit offering NTLMSSP with its first token. */
export function spnegoInit(token: Buffer): Buffer {
  const mechTypes = der(0xa0, der(0x30, NTLMSSP_OID));
  const mechToken = der(0xa2, der(0x04, token));
  return der(0x60, SPNEGO_OID, der(0xa0, der(0x30, mechTypes, mechToken)));
}

/** SPNEGO NegTokenResp carrying the next NTLMSSP token. */
export function spnegoResponse(token: Buffer): Buffer {
  return der(0xa1, der(0x30, der(0xa2, der(0x04, token))));
}
