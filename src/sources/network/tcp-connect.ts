import net from "node:net";
import os from "node:os";
import { getSystemErrorName } from "node:util";

/**
 * The port-discovery connect, as cheap as Node allows. A full scan makes 65,535 connects; through
 * `net.Socket` each one builds a stream, an EventEmitter, listener closures and (for every closed port) an
 * Error, which on a fast link costs more CPU than the system calls themselves. Node's own `tcp_wrap`
 * binding (the layer `net.Socket` is built on) connects with one handle and one request object and reports
 * a refusal as a plain errno number. It is internal API, reached through the deprecated `process.binding`:
 * everything about it lives in this module, and when it is missing or its shape changed, the scan falls
 * back to `net.Socket` with the same behaviour.
 */

/** What the scanner keeps per attempt; the connector adds its handle. */
export interface ConnectAttempt {
  port: number;
  handle?: unknown;
}

/**
 * How an attempt ended: "connected", "self" (a loopback connect that met itself by simultaneous open: no
 * listener, so the port is closed), or the errno code of the failure (ECONNREFUSED, EHOSTUNREACH...).
 */
export type ConnectEnd = "connected" | "self" | string;

export interface Connector<A extends ConnectAttempt> {
  /** Which implementation runs (for tests and the benchmark). */
  readonly kind: "tcp_wrap" | "net.Socket";
  /**
   * Starts a connect to `attempt.port`. A failure known at once is returned (its errno code) and no
   * callback follows; otherwise `onEnd(attempt, end)` is called once, later.
   */
  start(attempt: A): string | undefined;
  /** Ends an attempt, answered or not; no callback follows. `reset`: abort with RST (no TIME_WAIT). */
  close(attempt: A, reset: boolean): void;
  /** Closes what the connector keeps between attempts; call once the scan is over. */
  dispose(): void;
}

// --- the tcp_wrap binding (Node 20: lib/net.js uses it the same way) ---

interface TcpHandle {
  connect(req: ConnectRequest, address: string, port: number): number;
  connect6(req: ConnectRequest, address: string, port: number): number;
  getsockname(out: { address?: string; port?: number }): number;
  close(): void;
  reset?(): number;
}
interface ConnectRequest {
  oncomplete: (status: number, handle: TcpHandle, req: ConnectRequest) => void;
  attempt: unknown;
}
interface TcpWrapBinding {
  TCP: new (type: number) => TcpHandle;
  TCPConnectWrap: new () => ConnectRequest;
  constants: { SOCKET: number };
}

let cachedBinding: TcpWrapBinding | null | undefined;

/** The binding if this Node has it in the expected shape; undefined otherwise. */
function tcpWrapBinding(): TcpWrapBinding | undefined {
  if (cachedBinding !== undefined) return cachedBinding ?? undefined;
  cachedBinding = null;
  const binding = (process as unknown as { binding?: (name: string) => unknown }).binding;
  if (typeof binding !== "function") return undefined;
  // process.binding warns (DEP0111, under --pending-deprecation): that one warning only is dropped, since
  // the fallback is ready and a user cannot act on it
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const code = typeof rest[0] === "object" && rest[0] !== null ? (rest[0] as { code?: unknown }).code : rest[1];
    if (code === "DEP0111") return;
    return (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    const candidate = binding.call(process, "tcp_wrap") as Partial<TcpWrapBinding> | undefined;
    if (
      typeof candidate?.TCP === "function" &&
      typeof candidate.TCPConnectWrap === "function" &&
      typeof candidate.constants?.SOCKET === "number" &&
      typeof candidate.TCP.prototype.connect === "function" &&
      typeof candidate.TCP.prototype.connect6 === "function" &&
      typeof candidate.TCP.prototype.getsockname === "function"
    ) {
      cachedBinding = candidate as TcpWrapBinding;
    }
  } catch {
    // not allowed or not there: net.Socket it is
  } finally {
    process.emitWarning = emitWarning;
  }
  return cachedBinding ?? undefined;
}

// libuv reports a failed connect as a negative errno
const REFUSED_STATUS = -os.constants.errno.ECONNREFUSED;

function codeOf(status: number): string {
  if (status === REFUSED_STATUS) return "ECONNREFUSED";
  try {
    return getSystemErrorName(status);
  } catch {
    return `E${-status}`;
  }
}

const ABORTED_STATUS = -os.constants.errno.ECONNABORTED;

/** Most in-flight handles kept for reuse; beyond that a refused handle is closed. */
const SPARE_HANDLES = 4096;

function tcpWrapConnector<A extends ConnectAttempt>(
  binding: TcpWrapBinding,
  address: string,
  onEnd: (attempt: A, end: ConnectEnd) => void,
): Connector<A> {
  const v6 = net.isIPv6(address);
  const sockname: { address?: string; port?: number } = {};
  // Handles whose connect was refused (or unreachable). Linux lets a TCP socket back in the CLOSED state
  // connect again, and reusing it for the next port saves a socket(), a close(), two epoll changes and a
  // native object per port: about half the scan's CPU time. The first connect() on such a socket reports
  // ECONNABORTED (the kernel clearing the old attempt) and the second one sends the SYN.
  const spare: TcpHandle[] = [];
  const connect = (handle: TcpHandle, req: ConnectRequest, port: number): number =>
    v6 ? handle.connect6(req, address, port) : handle.connect(req, address, port);
  // one function for every request: the attempt rides on the request object, no closure per connect
  const oncomplete = (status: number, handle: TcpHandle, req: ConnectRequest) => {
    const attempt = req.attempt as A;
    // closed by the scanner already (timed out): nothing to report
    if (attempt.handle !== handle) return;
    if (status !== 0) {
      attempt.handle = undefined;
      if (spare.length < SPARE_HANDLES) spare.push(handle);
      else handle.close();
      onEnd(attempt, codeOf(status));
      return;
    }
    handle.getsockname(sockname);
    onEnd(attempt, sockname.port === attempt.port && sockname.address === address ? "self" : "connected");
  };
  const newRequest = (attempt: A): ConnectRequest => {
    const req = new binding.TCPConnectWrap();
    req.oncomplete = oncomplete;
    req.attempt = attempt;
    return req;
  };
  return {
    kind: "tcp_wrap",
    start(attempt) {
      const reused = spare.pop();
      if (reused !== undefined) {
        const req = newRequest(attempt);
        let status = connect(reused, req, attempt.port);
        if (status === ABORTED_STATUS) status = connect(reused, req, attempt.port);
        if (status === 0) {
          attempt.handle = reused;
          return undefined;
        }
        // this socket will not connect again: a fresh one decides the port
        reused.close();
      }
      const handle = new binding.TCP(binding.constants.SOCKET);
      const status = connect(handle, newRequest(attempt), attempt.port);
      if (status !== 0) {
        handle.close();
        return codeOf(status);
      }
      attempt.handle = handle;
      return undefined;
    },
    close(attempt, reset) {
      const handle = attempt.handle as TcpHandle | undefined;
      if (handle === undefined) return;
      attempt.handle = undefined;
      if (reset && typeof handle.reset === "function") handle.reset();
      else handle.close();
    },
    dispose() {
      for (const handle of spare.splice(0)) handle.close();
    },
  };
}

function socketConnector<A extends ConnectAttempt>(
  address: string,
  onEnd: (attempt: A, end: ConnectEnd) => void,
): Connector<A> {
  return {
    kind: "net.Socket",
    start(attempt) {
      const socket = new net.Socket();
      attempt.handle = socket;
      socket.on("connect", () => {
        if (attempt.handle !== socket) return;
        const self = socket.localPort === attempt.port && socket.localAddress === socket.remoteAddress;
        onEnd(attempt, self ? "self" : "connected");
      });
      socket.on("error", (error: NodeJS.ErrnoException) => {
        if (attempt.handle !== socket) return;
        onEnd(attempt, error.code ?? "EUNKNOWN");
      });
      try {
        socket.connect({ host: address, port: attempt.port });
      } catch (error) {
        attempt.handle = undefined;
        socket.destroy();
        return (error as NodeJS.ErrnoException).code ?? "EUNKNOWN";
      }
      return undefined;
    },
    close(attempt, reset) {
      const socket = attempt.handle as net.Socket | undefined;
      if (socket === undefined) return;
      attempt.handle = undefined;
      if (reset) socket.resetAndDestroy();
      else socket.destroy();
    },
    dispose() {},
  };
}

/** A connector to `address` (an IPv4 or IPv6 address, not a name): tcp_wrap when available. */
export function createConnector<A extends ConnectAttempt>(
  address: string,
  onEnd: (attempt: A, end: ConnectEnd) => void,
  prefer: "tcp_wrap" | "net.Socket" = "tcp_wrap",
): Connector<A> {
  const binding = prefer === "tcp_wrap" ? tcpWrapBinding() : undefined;
  return binding === undefined ? socketConnector(address, onEnd) : tcpWrapConnector(binding, address, onEnd);
}
