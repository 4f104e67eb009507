import { randomBytes } from "node:crypto";
import { chmod, lstat, rename, unlink } from "node:fs/promises";
import { connect, createServer, type Server, type Socket } from "node:net";
import { dirname, join } from "node:path";
import type { GuardPart } from "../bus.js";
import {
  type ControlResponse,
  controlRequestSchema,
  type GuardControl,
  MAX_REQUEST_BYTES,
  MAX_SOCKET_PATH_BYTES,
  type ParsedControlRequest,
} from "./protocol.js";

export interface ControlServerOptions {
  path: string;
  /** How long a client may take to send its request. */
  requestTimeoutMs?: number;
  maxConnections?: number;
}

/**
 * The running guard's control channel: a Unix socket that only its owner can use. Node cannot read a peer's
 * credentials (SO_PEERCRED), so the file mode is the gate: the kernel refuses `connect()` without write
 * permission on the socket. The socket is created under a temporary name, set to 0600 and only then renamed
 * into place, so there is no moment at which another user could connect. A socket left by a killed guard is
 * replaced; one that answers belongs to a running guard, and this one refuses to start.
 */
export class ControlServer implements GuardPart {
  readonly name = "control channel";
  readonly #path: string;
  readonly #control: GuardControl;
  readonly #timeoutMs: number;
  readonly #maxConnections: number;
  readonly #connections = new Set<Socket>();
  readonly #handling = new Set<Promise<void>>();
  #server: Server | null = null;
  #inode: number | null = null;

  constructor(options: ControlServerOptions, control: GuardControl) {
    this.#path = options.path;
    this.#control = control;
    this.#timeoutMs = options.requestTimeoutMs ?? 5000;
    this.#maxConnections = options.maxConnections ?? 16;
  }

  get path(): string {
    return this.#path;
  }

  async start(): Promise<void> {
    const path = this.#path;
    const temporary = join(dirname(path), `.hassguard-${randomBytes(4).toString("hex")}.sock`);
    for (const candidate of [path, temporary]) {
      if (Buffer.byteLength(candidate) > MAX_SOCKET_PATH_BYTES) {
        throw new Error(`control socket path '${candidate}' is too long for a Unix socket: set controlSocket`);
      }
    }
    await refuseUnlessStale(path);
    // half-open: a client may end its side right after the request and still read the answer
    const server = createServer({ allowHalfOpen: true }, (socket) => this.#accept(socket));
    server.maxConnections = this.#maxConnections;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(temporary, () => {
        server.off("error", reject);
        resolve();
      });
    });
    try {
      await chmod(temporary, 0o600);
      await rename(temporary, path);
      this.#inode = (await lstat(path)).ino;
    } catch (error) {
      server.close();
      await unlink(temporary).catch(() => undefined);
      throw new Error(`cannot put the control socket at '${path}': ${(error as Error).message}`);
    }
    this.#server = server;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.allSettled([...this.#handling]);
    for (const socket of this.#connections) socket.destroy();
    await closed;
    // only our own socket: another guard may have taken the path since
    const current = await lstat(this.#path).catch(() => null);
    if (current && current.ino === this.#inode) await unlink(this.#path).catch(() => undefined);
  }

  #accept(socket: Socket): void {
    this.#connections.add(socket);
    socket.on("close", () => this.#connections.delete(socket));
    socket.on("error", () => undefined);
    socket.setTimeout(this.#timeoutMs, () => socket.destroy());
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (text: string) => {
      done = true;
      socket.setTimeout(0);
      socket.removeAllListeners("data");
      const work = this.#answer(text).then((response) => {
        if (!socket.destroyed) socket.end(`${JSON.stringify(response)}\n`);
      });
      this.#handling.add(work);
      void work.finally(() => this.#handling.delete(work));
    };
    socket.on("data", (chunk: Buffer) => {
      if (done) return;
      const newline = chunk.indexOf(10);
      size += newline === -1 ? chunk.length : newline;
      if (size > MAX_REQUEST_BYTES) {
        done = true;
        socket.end(`${JSON.stringify(refusal(`request larger than ${MAX_REQUEST_BYTES} bytes`))}\n`);
        return;
      }
      chunks.push(newline === -1 ? chunk : chunk.subarray(0, newline));
      if (newline !== -1) finish(Buffer.concat(chunks).toString("utf8"));
    });
    socket.on("end", () => {
      if (!done) finish(Buffer.concat(chunks).toString("utf8"));
    });
  }

  async #answer(text: string): Promise<ControlResponse> {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return refusal("the request is not JSON");
    }
    const parsed = controlRequestSchema.safeParse(data);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "request"}: ${issue.message}`);
      return refusal(`invalid request: ${problems.join("; ")}`);
    }
    try {
      return { ok: true, result: { ...(await this.#dispatch(parsed.data)) } };
    } catch (error) {
      return refusal((error as Error).message);
    }
  }

  #dispatch(request: ParsedControlRequest): Promise<object> {
    switch (request.op) {
      case "status":
        return this.#control.status();
      case "bans":
        return this.#control.bans(request.limit);
      case "unban":
        return this.#control.unban(request.address, { restartHa: request.restartHa });
      case "ban":
        return this.#control.ban(request.address, request.seconds);
      case "allow":
        return this.#control.allow(request.network);
    }
  }
}

function refusal(error: string): ControlResponse {
  return { ok: false, error: error.slice(0, 2000) };
}

/** Throws unless nothing is at `path` or a socket nobody listens on (left by a guard killed with -9). */
async function refuseUnlessStale(path: string): Promise<void> {
  const existing = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  if (!existing) return;
  if (!existing.isSocket()) throw new Error(`'${path}' exists and is not a socket: not replacing it`);
  const answered = await new Promise<boolean>((resolve) => {
    const probe = connect(path);
    probe.setTimeout(2000, () => {
      probe.destroy();
      resolve(true); // something holds it and does not answer: not ours to replace
    });
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", (error: NodeJS.ErrnoException) => resolve(error.code !== "ECONNREFUSED"));
  });
  if (answered) throw new Error(`another guard answers on the control socket '${path}'`);
}
