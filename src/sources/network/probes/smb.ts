import type { SmbProbeResult, SmbShareAccess } from "../../../model/network-probes.js";
import { ProbeError, ProbeSocket } from "./io.js";
import type { ProbeOptions } from "./options.js";
import { negotiateSmb1, netbiosSessionRequest, Smb2Connection } from "./smb-framing.js";
import {
  ACCESS,
  CREATE_OPTIONS,
  close,
  create,
  listDirectory,
  negotiate,
  pipeTransceive,
  type SessionResult,
  sessionSetup,
  treeConnect,
  treeDisconnect,
} from "./smb-ops.js";
import { bindSrvsvc, checkBindAck, netShareEnumRequest, parseNetShareEnum, type ShareInfo } from "./smb-rpc.js";

export interface SmbProbeOptions extends ProbeOptions {
  /** Try the anonymous and guest sessions and the shares they open (`--login-probes`). */
  sessions?: boolean;
}

/** The Home Assistant OS Samba add-on's shares; `config`, `backup` and `ssl` hold its secrets. */
export const HA_SHARE_NAMES = ["config", "addons", "ssl", "share", "backup", "media", "addon_configs"];
const MAX_SHARES_TRIED = 40;
const SAMPLE_ENTRIES = 5;

/**
 * Speaks SMB over `net`: SMB2 negotiate (dialect, signing), anonymous then guest logon, share list
 * over srvsvc, then tries each share without a password; a second connection asks whether SMB1 is
 * still accepted. One deadline covers the whole probe. Undefined when the port does not speak SMB.
 */
export async function probeSmb(host: string, port: number, opts: SmbProbeOptions): Promise<SmbProbeResult | undefined> {
  const deadline = Date.now() + opts.timeoutMs;
  const remaining = (): ProbeOptions => ({ ...opts, timeoutMs: Math.max(1, deadline - Date.now()) });
  const result: SmbProbeResult = {
    smb1: false,
    signingRequired: false,
    anonymousSession: false,
    guestSession: false,
    sharesEnumerated: false,
    shares: [],
  };
  let spokeSmb2 = false;
  try {
    spokeSmb2 = await smb2Conversation(host, port, remaining(), result);
  } catch (err) {
    if (!(err instanceof ProbeError)) throw err;
    if (err.reason === "timeout" && !result.dialect) return undefined;
  }
  if (Date.now() < deadline) {
    const smb1 = await smb1Check(host, port, remaining()).catch((err: unknown) => {
      if (err instanceof ProbeError) return undefined;
      throw err;
    });
    if (smb1) {
      result.smb1 = true;
      if (!spokeSmb2) result.signingRequired = smb1.signingRequired;
    }
  }
  return spokeSmb2 || result.smb1 ? result : undefined;
}

async function openSmbSocket(host: string, port: number, opts: ProbeOptions): Promise<ProbeSocket> {
  const sock = await ProbeSocket.connect(host, port, opts);
  if (port === 139) await netbiosSessionRequest(sock);
  return sock;
}

async function smb1Check(
  host: string,
  port: number,
  opts: ProbeOptions,
): Promise<{ signingRequired: boolean } | undefined> {
  const sock = await openSmbSocket(host, port, opts);
  try {
    return await negotiateSmb1(sock);
  } finally {
    sock.close();
  }
}

/** True once the peer answered an SMB2 negotiate; what follows is recorded into `result` as it is learnt. */
async function smb2Conversation(
  host: string,
  port: number,
  opts: SmbProbeOptions,
  result: SmbProbeResult,
): Promise<boolean> {
  const sock = await openSmbSocket(host, port, opts);
  try {
    const conn = new Smb2Connection(sock);
    const negotiated = await negotiate(conn);
    result.dialect = negotiated.dialect;
    result.signingRequired = negotiated.signingRequired;
    if (opts.sessions !== true) {
      result.sessionsNotAsked = true;
      return true;
    }
    try {
      await explore(conn, host, result);
    } catch (err) {
      if (!(err instanceof ProbeError)) throw err;
      result.error = err.message;
    }
    return true;
  } finally {
    sock.close();
  }
}

async function explore(conn: Smb2Connection, host: string, result: SmbProbeResult): Promise<void> {
  const anonymous = await sessionSetup(conn, "anonymous");
  result.anonymousSession = anonymous.accepted;
  if (anonymous.challenge?.netbiosComputer) result.serverName = anonymous.challenge.netbiosComputer;
  const anonymousSessionId = conn.sessionId;
  conn.sessionId = 0n;
  const guest: SessionResult = await sessionSetup(conn, "guest");
  result.guestSession = guest.accepted;
  // Share access as the weakest identity that got in: guest when possible (it sees guest shares).
  if (!guest.accepted) {
    if (!anonymous.accepted) return;
    conn.sessionId = anonymousSessionId;
  }
  const server = result.serverName ?? host;
  const listed = await enumerateShares(conn, server).catch((err: unknown) => {
    if (err instanceof ProbeError) return undefined;
    throw err;
  });
  result.sharesEnumerated = listed !== undefined;
  const candidates = new Map<string, ShareInfo | undefined>();
  for (const share of listed ?? []) candidates.set(share.name, share);
  for (const name of HA_SHARE_NAMES)
    if (![...candidates.keys()].some((k) => k.toLowerCase() === name)) candidates.set(name, undefined);
  for (const [name, info] of [...candidates].slice(0, MAX_SHARES_TRIED)) {
    if (name.toUpperCase() === "IPC$") continue;
    if (info && shareType(info.type) !== "disk") {
      result.shares.push({ name, type: shareType(info.type), listed: true, accessible: false });
      continue;
    }
    const access = await tryShare(conn, server, name, info !== undefined);
    // A well-known name the server does not have at all is not worth a line in the report.
    if (access.listed || access.accessible || !access.missing) result.shares.push(withoutMissing(access));
  }
}

function shareType(type: number): SmbShareAccess["type"] {
  const base = type & 0x0fffffff;
  return base === 0 ? "disk" : base === 1 ? "printer" : base === 3 ? "ipc" : "other";
}

async function enumerateShares(conn: Smb2Connection, server: string): Promise<ShareInfo[] | undefined> {
  const tree = await treeConnect(conn, server, "IPC$");
  if (tree.treeId === undefined) return undefined;
  try {
    const pipe = await create(conn, tree.treeId, {
      name: "srvsvc",
      desiredAccess: ACCESS.PIPE_READ_WRITE,
      createOptions: CREATE_OPTIONS.NONE,
    });
    if (!pipe.fileId) return undefined;
    try {
      checkBindAck(await pipeTransceive(conn, tree.treeId, pipe.fileId, bindSrvsvc(), 4280));
      return parseNetShareEnum(
        await pipeTransceive(conn, tree.treeId, pipe.fileId, netShareEnumRequest(server), 65_536),
      );
    } finally {
      await close(conn, tree.treeId, pipe.fileId);
    }
  } finally {
    await treeDisconnect(conn, tree.treeId);
  }
}

/** NT_STATUS_BAD_NETWORK_NAME: no share of that name (as opposed to access denied). */
const STATUS_BAD_NETWORK_NAME = 0xc00000cc;

function withoutMissing(access: SmbShareAccess & { missing?: boolean }): SmbShareAccess {
  const { missing: _missing, ...rest } = access;
  return rest;
}

async function tryShare(
  conn: Smb2Connection,
  server: string,
  name: string,
  listed: boolean,
): Promise<SmbShareAccess & { missing?: boolean }> {
  const tree = await treeConnect(conn, server, name);
  const base: SmbShareAccess = {
    name,
    ...(listed ? { type: "disk" as const } : {}),
    listed,
    accessible: tree.treeId !== undefined,
  };
  if (tree.treeId === undefined) return tree.status === STATUS_BAD_NETWORK_NAME ? { ...base, missing: true } : base;
  try {
    const root = await create(conn, tree.treeId, {
      name: "",
      desiredAccess: ACCESS.LIST_DIRECTORY,
      createOptions: CREATE_OPTIONS.DIRECTORY,
    });
    if (!root.fileId) return { ...base, readable: false };
    try {
      const names = await listDirectory(conn, tree.treeId, root.fileId, 16_384);
      if (names === undefined) return { ...base, readable: false };
      return { ...base, readable: true, sampleEntries: names.sort().slice(0, SAMPLE_ENTRIES) };
    } finally {
      await close(conn, tree.treeId, root.fileId);
    }
  } finally {
    await treeDisconnect(conn, tree.treeId);
  }
}
