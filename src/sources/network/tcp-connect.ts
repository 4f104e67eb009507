import net from "node:net";
import os from "node:os";
import { getSystemErrorName } from "node:util";

/**
 * The port-discovery connect, as cheap as Node allows. A full scan makes 65,535 connects; through
 * `net.Socket` each one builds a stream, an EventEmitter, listener closures and (for every closed port) an
 * Error, which on a fast link costs more CPU than the system calls themselves. Node's own `tcp_wrap`
 * binding (the layer `net.Socket` is built on) connects with one handle and one request object and reports
 * a refusal as a plain errno number. Measured with bench/scan.ts (all 65,535 ports, median of 5, this
 * two-core machine under load): loopback 9.2 s through tcp_wrap against 18.0 s through net.Socket (nmap
 * -sT: 5.6 s); across a +1 ms link 7.2 s against 15.4 s (nmap: 6.1 s).
 *
 * It is internal API, reached through the deprecated `process.binding`, so everything about it lives in this
 * module and is used only once it has proved itself: the first scan of a process runs a self-test (a
 * refused connect, then an accepted one, both on 127.0.0.1) and any surprise —
 * no binding, another shape, another answer, no answer in time — makes every scan use `net.Socket`, with the
 * same behaviour. Nothing global is changed: when the process shows deprecation warnings of pending
 * deprecations (`--pending-deprecation`, the only case where reaching the binding warns, DEP0111), the binding
 * is not touched at all, rather than silencing the warning by replacing `process.emitWarning`.
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

/**
 * The binding if this Node has it in the expected shape; undefined otherwise. Under `--pending-deprecation`
 * Node wraps `process.binding` in `util.deprecate` (its name becomes `deprecated`): calling it would print
 * DEP0111, so the binding is left alone.
 */
function tcpWrapBinding(): TcpWrapBinding | undefined {
  const binding = (process as unknown as { binding?: (name: string) => unknown }).binding;
  if (typeof binding !== "function" || binding.name !== "binding") return undefined;
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
      return candidate as TcpWrapBinding;
    }
  } catch {
    // not allowed or not there: net.Socket it is
  }
  return undefined;
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

function tcpWrapConnector<A extends ConnectAttempt>(
  binding: TcpWrapBinding,
  address: string,
  onEnd: (attempt: A, end: ConnectEnd) => void,
): Connector<A> {
  const v6 = net.isIPv6(address);
  const sockname: { address?: string; port?: number } = {};
  // One new socket per port, never a refused one reused: Linux lets a socket back in the CLOSED state
  // connect again (this connector did so until 2026-11), which saved about a third of a loopback scan, but
  // across a real link (bench/scan.ts's +1 ms namespace pair) libuv then reported some of those connects as
  // established while they were still in SYN_SENT — getpeername() said ENOTCONN — and a scan called 30 to
  // 250 closed ports open in 4 runs of 6. With a new socket per port: 0 in 6 (and 0 through net.Socket).
  const connect = (handle: TcpHandle, req: ConnectRequest, port: number): number =>
    v6 ? handle.connect6(req, address, port) : handle.connect(req, address, port);
  // one function for every request: the attempt rides on the request object, no closure per connect
  const oncomplete = (status: number, handle: TcpHandle, req: ConnectRequest) => {
    const attempt = req.attempt as A;
    // closed by the scanner already (timed out): nothing to report
    if (attempt.handle !== handle) return;
    if (status !== 0) {
      attempt.handle = undefined;
      handle.close();
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
  };
}

/** How long the self-test may take; a binding that has not answered two loopback connects by then is not used. */
const SELF_TEST_MS = 2000;

let proven: Promise<TcpWrapBinding | undefined> | undefined;

/** The binding once it has passed the self-test (run once per process); undefined otherwise. */
function provenBinding(): Promise<TcpWrapBinding | undefined> {
  proven ??= (async () => {
    const binding = tcpWrapBinding();
    if (binding === undefined) return undefined;
    return (await selfTest(binding)) ? binding : undefined;
  })();
  return proven;
}

/**
 * Against a listener of its own on 127.0.0.1: a connect to a closed port must end ECONNREFUSED, and the
 * next one, to the listener, "connected" — the two answers the scan relies on. Anything else (an error, a
 * third answer, silence) fails the test.
 */
async function selfTest(binding: TcpWrapBinding): Promise<boolean> {
  const listener = net.createServer((socket) => socket.destroy());
  let timer: NodeJS.Timeout | undefined;
  try {
    const openPort = await listenOnLoopback(listener);
    const closedPort = await closedLoopbackPort();
    return await new Promise<boolean>((resolve) => {
      const refused: ConnectAttempt = { port: closedPort };
      const accepted: ConnectAttempt = { port: openPort };
      const connector = tcpWrapConnector<ConnectAttempt>(binding, "127.0.0.1", (attempt, end) => {
        if (attempt === refused && end === "ECONNREFUSED") {
          if (connector.start(accepted) !== undefined) finish(false);
        } else {
          finish(attempt === accepted && end === "connected");
        }
      });
      const finish = (passed: boolean) => {
        clearTimeout(timer);
        connector.close(refused, true);
        connector.close(accepted, true);
        resolve(passed);
      };
      timer = setTimeout(() => finish(false), SELF_TEST_MS);
      if (connector.start(refused) !== undefined) finish(false);
    });
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    listener.close();
  }
}

function listenOnLoopback(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port));
  });
}

/** A loopback port that was free a moment ago (another process may take it: the test then fails safe). */
async function closedLoopbackPort(): Promise<number> {
  const server = net.createServer();
  const port = await listenOnLoopback(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A connector to `address` (an IPv4 or IPv6 address, not a name): tcp_wrap when it passed the self-test,
 * net.Socket otherwise or when asked for.
 */
export async function createConnector<A extends ConnectAttempt>(
  address: string,
  onEnd: (attempt: A, end: ConnectEnd) => void,
  prefer: "tcp_wrap" | "net.Socket" = "tcp_wrap",
): Promise<Connector<A>> {
  const binding = prefer === "tcp_wrap" ? await provenBinding() : undefined;
  return binding === undefined ? socketConnector(address, onEnd) : tcpWrapConnector(binding, address, onEnd);
}
