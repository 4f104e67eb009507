import net from "node:net";
import tls from "node:tls";

/**
 * Bounded socket reads for the probes. A peer may accept and stay silent, drip a byte a second, send a
 * megabyte banner or reset: every function here ends by a deadline and never keeps more than `maxBytes`.
 */

export interface Target {
  /** The address to connect to (already resolved). */
  host: string;
  port: number;
  /** Speak TLS (certificate not verified: the TLS probe judges it separately). */
  tls?: boolean;
  /** SNI name, only for a host name (never for an address). */
  servername?: string;
}

export interface Bounds {
  timeoutMs: number;
  maxBytes: number;
}

/** Connects (and completes the TLS handshake), or resolves undefined on error or timeout. */
export function openSocket(target: Target, timeoutMs: number): Promise<net.Socket | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    const socket: net.Socket = target.tls
      ? tls.connect({
          host: target.host,
          port: target.port,
          rejectUnauthorized: false,
          // old servers (TLS 1.0, small keys) must still be reachable to be reported on
          ciphers: "DEFAULT:@SECLEVEL=0",
          minVersion: "TLSv1",
          ...(target.servername === undefined ? {} : { servername: target.servername }),
        })
      : net.connect({ host: target.host, port: target.port });
    const finish = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeListener("error", onError);
      if (ok) {
        // a late error after we handed the socket over must not become an uncaught exception
        socket.on("error", () => {});
        resolve(socket);
      } else {
        socket.destroy();
        resolve(undefined);
      }
    };
    const onError = () => finish(false);
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once("error", onError);
    socket.once(target.tls ? "secureConnect" : "connect", () => finish(true));
  });
}

export interface ReadResult {
  data: Buffer;
  /** The peer closed (or reset) the connection. */
  ended: boolean;
  /** Reading stopped because `maxBytes` was reached. */
  truncated: boolean;
  timedOut: boolean;
}

/**
 * Reads until `complete(data)` says enough, the peer closes, `maxBytes` arrive or `timeoutMs` pass —
 * whichever comes first. Never throws. Leaves the socket open (the caller destroys it).
 */
export function readBounded(
  socket: net.Socket,
  bounds: Bounds,
  complete: (data: Buffer) => boolean = () => false,
): Promise<ReadResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: Omit<ReadResult, "data">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeListener("data", onData);
      socket.removeListener("end", onEnd);
      socket.removeListener("close", onEnd);
      socket.removeListener("error", onEnd);
      resolve({ data: Buffer.concat(chunks).subarray(0, bounds.maxBytes), ...result });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= bounds.maxBytes) finish({ ended: false, truncated: true, timedOut: false });
      else if (complete(Buffer.concat(chunks))) finish({ ended: false, truncated: false, timedOut: false });
    };
    const onEnd = () => finish({ ended: true, truncated: false, timedOut: false });
    const timer = setTimeout(() => finish({ ended: false, truncated: false, timedOut: true }), bounds.timeoutMs);
    socket.on("data", onData);
    socket.once("end", onEnd);
    socket.once("close", onEnd);
    socket.once("error", onEnd);
    if (socket.destroyed) onEnd();
  });
}

/** Writes without waiting for the peer; a write error shows up as `ended` in the next read. */
export function writeQuietly(socket: net.Socket, data: string | Buffer): void {
  try {
    socket.write(data);
  } catch {
    // the socket is already gone: the following read reports it
  }
}

/** Printable, bounded one-line form of what a peer sent, for reports (never raw control characters). */
export function printableLine(data: Buffer, maxChars = 120): string {
  const text = data.subarray(0, 1024).toString("latin1");
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point
  const clean = firstLine.replace(/[\x00-\x1f\x7f-\xff]/g, "?");
  return clean.length > maxChars ? `${clean.slice(0, maxChars)}…` : clean;
}
