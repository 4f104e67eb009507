import net from "node:net";
import tls from "node:tls";
import type { ProbeOptions } from "./options.js";

/** Why a probe stopped talking to a peer: the peer broke a bound or the protocol, never our bug. */
export class ProbeError extends Error {
  constructor(
    message: string,
    readonly reason: "timeout" | "closed" | "too-large" | "protocol" | "connect",
  ) {
    super(message);
    this.name = "ProbeError";
  }
}

export interface ConnectOptions {
  /** Wrap the connection in TLS (certificates are not verified: we look, we do not trust). */
  tls?: boolean;
  servername?: string;
}

/**
 * Bytes from a peer, read under one deadline for the whole probe and a cap on the total the peer may
 * send. A peer that stays silent, drips bytes or floods us makes reads fail with a ProbeError instead
 * of hanging or filling memory. Transports push what they receive; probes read.
 */
export class BoundedReader {
  private buffered: Buffer = Buffer.alloc(0);
  private received = 0;
  private failure: ProbeError | undefined;
  private wake: (() => void) | undefined;

  constructor(
    readonly deadline: number,
    private readonly maxBytes: number,
    private readonly onFail: () => void = () => {},
  ) {}

  get bytesReceived(): number {
    return this.received;
  }

  push(chunk: Buffer): void {
    this.received += chunk.length;
    if (this.received > this.maxBytes) {
      this.fail(new ProbeError(`peer sent more than ${this.maxBytes} bytes`, "too-large"));
      return;
    }
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    this.wake?.();
  }

  fail(error: ProbeError): void {
    if (!this.failure) this.failure = error;
    this.onFail();
    this.wake?.();
  }

  /** Exactly `n` bytes, or a ProbeError once the deadline passes, the peer closes or `n` is beyond the cap. */
  async read(n: number): Promise<Buffer> {
    if (n > this.maxBytes) throw new ProbeError(`peer announced ${n} bytes, more than the cap`, "too-large");
    await this.waitFor(() => this.buffered.length >= n);
    const out = this.buffered.subarray(0, n);
    this.buffered = this.buffered.subarray(n);
    return out;
  }

  /** Like `read`, but gives up at `until` (earlier than the deadline) by returning undefined. */
  async readBefore(n: number, until: number): Promise<Buffer | undefined> {
    if (n > this.maxBytes) throw new ProbeError(`peer announced ${n} bytes, more than the cap`, "too-large");
    const arrived = await this.waitFor(() => this.buffered.length >= n, until);
    if (!arrived) return undefined;
    return this.read(n);
  }

  /** Bytes up to and including the first `delimiter`, searched within at most `limit` bytes. */
  async readUntil(delimiter: Buffer, limit: number): Promise<Buffer> {
    await this.waitFor(() => {
      if (this.buffered.indexOf(delimiter) >= 0) return true;
      if (this.buffered.length > limit) throw new ProbeError(`no delimiter within ${limit} bytes`, "protocol");
      return false;
    });
    const end = this.buffered.indexOf(delimiter) + delimiter.length;
    const out = this.buffered.subarray(0, end);
    this.buffered = this.buffered.subarray(end);
    return out;
  }

  /** Everything the peer sends until it closes (within the deadline and the byte cap). */
  async readToEnd(): Promise<Buffer> {
    try {
      await this.waitFor(() => false);
    } catch (err) {
      if (!(err instanceof ProbeError) || err.reason !== "closed") throw err;
    }
    const out = this.buffered;
    this.buffered = Buffer.alloc(0);
    return out;
  }

  /** True once `ready`; false when `softUntil` passes first; throws at the hard deadline or a failure. */
  private async waitFor(ready: () => boolean, softUntil = Number.POSITIVE_INFINITY): Promise<boolean> {
    for (;;) {
      if (ready()) return true;
      if (this.failure) throw this.failure;
      const now = Date.now();
      if (now >= softUntil) return false;
      const remaining = this.deadline - now;
      if (remaining <= 0) {
        this.fail(new ProbeError("peer did not answer in time", "timeout"));
        throw this.failure;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, softUntil - now));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}

/** A TCP (or TLS) connection read through a BoundedReader. */
export class ProbeSocket extends BoundedReader {
  private constructor(
    readonly socket: net.Socket,
    opts: ProbeOptions,
    deadline: number,
  ) {
    super(deadline, opts.maxBytes, () => socket.destroy());
    socket.on("data", (chunk: Buffer) => this.push(chunk));
    socket.on("error", (err) => this.fail(new ProbeError(`connection error: ${err.message}`, "closed")));
    socket.on("close", () => this.fail(new ProbeError("peer closed the connection", "closed")));
  }

  /** Connects within the probe's time budget; the returned socket shares that same deadline. */
  static connect(host: string, port: number, opts: ProbeOptions, how: ConnectOptions = {}): Promise<ProbeSocket> {
    const deadline = Date.now() + opts.timeoutMs;
    return new Promise((resolve, reject) => {
      const socket = how.tls
        ? tls.connect({
            host,
            port,
            rejectUnauthorized: false,
            servername: how.servername ?? (net.isIP(host) ? undefined : host),
          })
        : net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new ProbeError(`connect to ${host}:${port} timed out`, "timeout"));
      }, opts.timeoutMs);
      socket.once("error", (err) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new ProbeError(`connect to ${host}:${port} failed: ${err.message}`, "connect"));
      });
      socket.once(how.tls ? "secureConnect" : "connect", () => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        resolve(new ProbeSocket(socket, opts, deadline));
      });
    });
  }

  write(data: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(data);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Runs `probe` and turns "the peer is not speaking this protocol" into undefined, never an exception. */
export async function orUndefined<T>(probe: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await probe();
  } catch (err) {
    if (err instanceof ProbeError) return undefined;
    throw err;
  }
}
