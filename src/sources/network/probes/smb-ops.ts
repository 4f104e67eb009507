import { randomBytes } from "node:crypto";
import { ProbeError } from "./io.js";
import { NtStatus, SMB2_HEADER_SIZE, Smb2Command, type Smb2Connection, sliceAt } from "./smb-framing.js";
import {
  type ChallengeInfo,
  ntlmAuthenticate,
  ntlmNegotiate,
  parseChallenge,
  spnegoInit,
  spnegoResponse,
} from "./smb-ntlm.js";

/** The SMB2 requests the probe needs, one function each ([MS-SMB2] §2.2). */

const DIALECTS = [0x0202, 0x0210, 0x0300, 0x0302, 0x0311];
const DIALECT_NAMES: Record<number, string> = { 514: "2.0.2", 528: "2.1", 768: "3.0", 770: "3.0.2", 785: "3.1.1" };
const SIGNING_ENABLED = 0x1;
const SIGNING_REQUIRED = 0x2;

export interface NegotiateResult {
  dialect: string;
  signingRequired: boolean;
}

export async function negotiate(conn: Smb2Connection): Promise<NegotiateResult> {
  const fixed = Buffer.alloc(36);
  fixed.writeUInt16LE(36, 0);
  fixed.writeUInt16LE(DIALECTS.length, 2);
  fixed.writeUInt16LE(SIGNING_ENABLED, 4);
  randomBytes(16).copy(fixed, 12); // client GUID
  const dialects = Buffer.alloc(DIALECTS.length * 2);
  for (const [i, d] of DIALECTS.entries()) dialects.writeUInt16LE(d, i * 2);
  // 3.1.1 requires a pre-authentication integrity context (SHA-512 with a salt), 8-byte aligned.
  const contextsAt = SMB2_HEADER_SIZE + fixed.length + dialects.length;
  const padding = Buffer.alloc((8 - (contextsAt % 8)) % 8);
  const preauth = Buffer.alloc(8 + 38);
  preauth.writeUInt16LE(1, 0);
  preauth.writeUInt16LE(38, 2);
  preauth.writeUInt16LE(1, 8); // one hash algorithm
  preauth.writeUInt16LE(32, 10); // salt length
  preauth.writeUInt16LE(1, 12); // SHA-512
  randomBytes(32).copy(preauth, 14);
  fixed.writeUInt32LE(contextsAt + padding.length, 28);
  fixed.writeUInt16LE(1, 32);
  const response = await conn.request(Smb2Command.NEGOTIATE, Buffer.concat([fixed, dialects, padding, preauth]));
  if (response.status !== NtStatus.SUCCESS || response.body.length < 64 || response.body.readUInt16LE(0) !== 65) {
    throw new ProbeError(`SMB2 negotiate refused (status 0x${response.status.toString(16)})`, "protocol");
  }
  const revision = response.body.readUInt16LE(4);
  return {
    dialect: DIALECT_NAMES[revision] ?? `0x${revision.toString(16)}`,
    signingRequired: (response.body.readUInt16LE(2) & SIGNING_REQUIRED) !== 0,
  };
}

export interface SessionResult {
  status: number;
  accepted: boolean;
  guest: boolean;
  anonymous: boolean;
  challenge?: ChallengeInfo;
}

const SESSION_FLAG_IS_GUEST = 0x1;
const SESSION_FLAG_IS_NULL = 0x2;

function sessionSetupBody(blob: Buffer): Buffer {
  const fixed = Buffer.alloc(24);
  fixed.writeUInt16LE(25, 0);
  fixed.writeUInt8(SIGNING_ENABLED, 3);
  fixed.writeUInt16LE(SMB2_HEADER_SIZE + 24, 12);
  fixed.writeUInt16LE(blob.length, 14);
  return Buffer.concat([fixed, blob]);
}

/** The two NTLMSSP legs of an anonymous or guest logon. */
export async function sessionSetup(conn: Smb2Connection, kind: "anonymous" | "guest"): Promise<SessionResult> {
  const first = await conn.request(Smb2Command.SESSION_SETUP, sessionSetupBody(spnegoInit(ntlmNegotiate())));
  if (first.status !== NtStatus.MORE_PROCESSING_REQUIRED || first.body.length < 8) {
    return { status: first.status, accepted: false, guest: false, anonymous: false };
  }
  const blob = sliceAt(first.message, first.body.readUInt16LE(4), first.body.readUInt16LE(6));
  const challenge = parseChallenge(blob);
  conn.sessionId = first.sessionId;
  const second = await conn.request(
    Smb2Command.SESSION_SETUP,
    sessionSetupBody(spnegoResponse(ntlmAuthenticate(kind))),
  );
  const accepted = second.status === NtStatus.SUCCESS;
  const flags = accepted && second.body.length >= 4 ? second.body.readUInt16LE(2) : 0;
  return {
    status: second.status,
    accepted,
    guest: accepted && (flags & SESSION_FLAG_IS_GUEST) !== 0,
    anonymous: accepted && (flags & SESSION_FLAG_IS_NULL) !== 0,
    ...(challenge ? { challenge } : {}),
  };
}

/** Tree id of `\\server\share`, or undefined with the NTSTATUS when refused. */
export async function treeConnect(
  conn: Smb2Connection,
  server: string,
  share: string,
): Promise<{ treeId?: number; status: number }> {
  const path = Buffer.from(`\\\\${server}\\${share}`, "utf16le");
  const fixed = Buffer.alloc(8);
  fixed.writeUInt16LE(9, 0);
  fixed.writeUInt16LE(SMB2_HEADER_SIZE + 8, 4);
  fixed.writeUInt16LE(path.length, 6);
  const response = await conn.request(Smb2Command.TREE_CONNECT, Buffer.concat([fixed, path]));
  return response.status === NtStatus.SUCCESS
    ? { treeId: response.treeId, status: response.status }
    : { status: response.status };
}

export async function treeDisconnect(conn: Smb2Connection, treeId: number): Promise<void> {
  const body = Buffer.alloc(4);
  body.writeUInt16LE(4, 0);
  await conn.request(Smb2Command.TREE_DISCONNECT, body, treeId);
}

export interface CreateRequest {
  name: string;
  desiredAccess: number;
  createOptions: number;
}
export const ACCESS = {
  /** FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES | SYNCHRONIZE */
  LIST_DIRECTORY: 0x00100081,
  /** FILE_READ_DATA | FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_READ_EA | FILE_READ_ATTRIBUTES | READ_CONTROL | SYNCHRONIZE */
  PIPE_READ_WRITE: 0x0012019f,
};
const FILE_DIRECTORY_FILE = 0x1;
export const CREATE_OPTIONS = { DIRECTORY: FILE_DIRECTORY_FILE, NONE: 0 };

/** Opens an existing file, directory or pipe; the 16-byte file id, or undefined with the status. */
export async function create(
  conn: Smb2Connection,
  treeId: number,
  req: CreateRequest,
): Promise<{ fileId?: Buffer; status: number }> {
  const name = Buffer.from(req.name, "utf16le");
  const fixed = Buffer.alloc(56);
  fixed.writeUInt16LE(57, 0);
  fixed.writeUInt32LE(2, 4); // impersonation level: Impersonation
  fixed.writeUInt32LE(req.desiredAccess, 24);
  fixed.writeUInt32LE(0x7, 32); // share read, write, delete: never lock anything out
  fixed.writeUInt32LE(1, 36); // FILE_OPEN: never create
  fixed.writeUInt32LE(req.createOptions, 40);
  fixed.writeUInt16LE(SMB2_HEADER_SIZE + 56, 44);
  fixed.writeUInt16LE(name.length, 46);
  const buffer = name.length > 0 ? name : Buffer.alloc(1);
  const response = await conn.request(Smb2Command.CREATE, Buffer.concat([fixed, buffer]), treeId);
  if (response.status !== NtStatus.SUCCESS || response.body.length < 80) return { status: response.status };
  return { fileId: Buffer.from(response.body.subarray(64, 80)), status: response.status };
}

export async function close(conn: Smb2Connection, treeId: number, fileId: Buffer): Promise<void> {
  const body = Buffer.alloc(24);
  body.writeUInt16LE(24, 0);
  fileId.copy(body, 8);
  await conn.request(Smb2Command.CLOSE, body, treeId);
}

/** Names in the first page of a directory listing (FileDirectoryInformation), `.` and `..` left out. */
export async function listDirectory(
  conn: Smb2Connection,
  treeId: number,
  fileId: Buffer,
  maxOutput: number,
): Promise<string[] | undefined> {
  const pattern = Buffer.from("*", "utf16le");
  const fixed = Buffer.alloc(32);
  fixed.writeUInt16LE(33, 0);
  fixed.writeUInt8(0x01, 2); // FileDirectoryInformation
  fixed.writeUInt8(0x01, 3); // SMB2_RESTART_SCANS
  fileId.copy(fixed, 8);
  fixed.writeUInt16LE(SMB2_HEADER_SIZE + 32, 24);
  fixed.writeUInt16LE(pattern.length, 26);
  fixed.writeUInt32LE(maxOutput, 28);
  const response = await conn.request(Smb2Command.QUERY_DIRECTORY, Buffer.concat([fixed, pattern]), treeId);
  if (response.status === NtStatus.NO_MORE_FILES) return [];
  if (response.status !== NtStatus.SUCCESS || response.body.length < 8) return undefined;
  const out = sliceAt(response.message, response.body.readUInt16LE(2), response.body.readUInt32LE(4));
  const names: string[] = [];
  for (let pos = 0, guard = 0; pos + 64 <= out.length && guard < 10_000; guard++) {
    const next = out.readUInt32LE(pos);
    const nameLength = out.readUInt32LE(pos + 60);
    if (pos + 64 + nameLength > out.length) break;
    const name = out.subarray(pos + 64, pos + 64 + nameLength).toString("utf16le");
    if (name !== "." && name !== "..") names.push(name);
    if (next === 0) break;
    pos += next;
  }
  return names;
}

const FSCTL_PIPE_TRANSCEIVE = 0x0011c017;

/** Writes `input` to a named pipe and reads its answer in one IOCTL, as Windows clients do for RPC. */
export async function pipeTransceive(
  conn: Smb2Connection,
  treeId: number,
  fileId: Buffer,
  input: Buffer,
  maxOutput: number,
): Promise<Buffer> {
  const fixed = Buffer.alloc(56);
  fixed.writeUInt16LE(57, 0);
  fixed.writeUInt32LE(FSCTL_PIPE_TRANSCEIVE, 4);
  fileId.copy(fixed, 8);
  fixed.writeUInt32LE(SMB2_HEADER_SIZE + 56, 24);
  fixed.writeUInt32LE(input.length, 28);
  fixed.writeUInt32LE(maxOutput, 44);
  fixed.writeUInt32LE(1, 48); // SMB2_0_IOCTL_IS_FSCTL
  const response = await conn.request(Smb2Command.IOCTL, Buffer.concat([fixed, input]), treeId);
  if (
    (response.status !== NtStatus.SUCCESS && response.status !== NtStatus.BUFFER_OVERFLOW) ||
    response.body.length < 48
  ) {
    throw new ProbeError(`pipe transceive failed (status 0x${response.status.toString(16)})`, "protocol");
  }
  return sliceAt(response.message, response.body.readUInt32LE(32), response.body.readUInt32LE(36));
}
