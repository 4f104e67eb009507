import WebSocket from "ws";
import { type Bounds, openSocket, readBounded, type Target, writeQuietly } from "./socket-io.js";

/**
 * A minimal HTTP/1.1 client over a raw socket. Node's `http` module bounds idle time, not total time or
 * size; a probe must survive a peer that drips one byte a second, so every request here has a hard deadline
 * and byte cap. Only GET, only `Connection: close`; never credentials. The WebSocket hello at the end speaks
 * through the `ws` package, inside the same kind of bounds.
 */

export interface HttpResponse {
  status: number;
  /** Header names lower-cased, in arrival order (a repeated header keeps every value). */
  headers: [string, string][];
  body: Buffer;
  /** The body was cut at the size bound or the deadline. */
  truncated: boolean;
  /** Our own address on this connection: what the server saw (and would ban), unless a NAT lies between. */
  clientAddress?: string;
}

const HEAD_END = Buffer.from("\r\n\r\n");

export function header(response: HttpResponse, name: string): string | undefined {
  const lower = name.toLowerCase();
  return response.headers.find(([key]) => key === lower)?.[1];
}

function requestHead(target: Target, path: string, extra: Record<string, string>): string {
  const hostHeader = target.servername ?? (target.host.includes(":") ? `[${target.host}]` : target.host);
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: ${hostHeader}:${target.port}`,
    "User-Agent: hassguard-scan",
    "Accept: */*",
    ...Object.entries(extra).map(([key, value]) => `${key}: ${value}`),
  ];
  return `${lines.join("\r\n")}\r\n\r\n`;
}

interface ParsedHead {
  status: number;
  headers: [string, string][];
  bodyStart: number;
}

/** Parses a status line and headers; undefined when the bytes are not an HTTP/1.x response. */
export function parseHead(data: Buffer): ParsedHead | undefined {
  const end = data.indexOf(HEAD_END);
  if (end < 0) return undefined;
  const lines = data.subarray(0, end).toString("latin1").split("\r\n");
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "");
  if (match?.[1] === undefined) return undefined;
  const headers: [string, string][] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    headers.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return { status: Number(match[1]), headers, bodyStart: end + HEAD_END.length };
}

/** True once the bytes start like an HTTP response, or can no longer become one. */
function looksLikeHttp(data: Buffer): boolean | undefined {
  const prefix = "HTTP/1.";
  const n = Math.min(data.length, prefix.length);
  if (data.subarray(0, n).toString("latin1") !== prefix.slice(0, n)) return false;
  return n === prefix.length ? true : undefined;
}

function isChunked(head: ParsedHead): boolean {
  return head.headers.some(([key, value]) => key === "transfer-encoding" && /chunked/i.test(value));
}

function bodyComplete(head: ParsedHead, data: Buffer): boolean {
  const length = head.headers.find(([k]) => k === "content-length")?.[1];
  if (length !== undefined) return data.length - head.bodyStart >= Number(length);
  if (isChunked(head)) {
    // the last chunk is `0\r\n\r\n`, at the very start of an empty body or after a chunk's CRLF
    const body = data.subarray(head.bodyStart);
    return body.indexOf("0\r\n\r\n") === 0 || body.includes("\r\n0\r\n\r\n");
  }
  return false; // read until close
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (let i = 0; i < 10_000 && offset < body.length; i++) {
    const lineEnd = body.indexOf("\r\n", offset);
    if (lineEnd < 0) break;
    const size = Number.parseInt(body.subarray(offset, lineEnd).toString("latin1"), 16);
    if (!Number.isFinite(size) || size <= 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** GET `path`; undefined when the connection fails or the peer does not answer HTTP within the bounds. */
export async function httpGet(
  target: Target,
  path: string,
  bounds: Bounds,
  extraHeaders: Record<string, string> = {},
): Promise<HttpResponse | undefined> {
  const deadline = Date.now() + bounds.timeoutMs;
  const socket = await openSocket(target, bounds.timeoutMs);
  if (socket === undefined) return undefined;
  try {
    writeQuietly(socket, requestHead(target, path, { Connection: "close", ...extraHeaders }));
    let head: ParsedHead | undefined;
    const result = await readBounded(
      socket,
      { timeoutMs: Math.max(1, deadline - Date.now()), maxBytes: bounds.maxBytes },
      (data) => {
        if (looksLikeHttp(data) === false) return true; // not HTTP: stop reading now
        head ??= parseHead(data);
        return head !== undefined && bodyComplete(head, data);
      },
    );
    head ??= parseHead(result.data);
    if (head === undefined) return undefined;
    const complete = bodyComplete(head, result.data);
    let body = result.data.subarray(head.bodyStart);
    if (isChunked(head)) body = dechunk(body);
    const length = head.headers.find(([k]) => k === "content-length")?.[1];
    if (length !== undefined) body = body.subarray(0, Number(length));
    const clientAddress = socket.localAddress;
    return {
      status: head.status,
      headers: head.headers,
      body,
      truncated: !complete && !result.ended,
      ...(clientAddress === undefined ? {} : { clientAddress }),
    };
  } finally {
    socket.destroy();
  }
}

export interface WebSocketHello {
  /** Status of the upgrade request (101 when it succeeded). */
  status: number;
  /** Header names lower-cased, in arrival order. */
  headers: [string, string][];
  /** The first message the server sent unasked, when it was text and came within the bounds. */
  firstText?: string;
}

/** How long we wait for the server to answer our close frame before we hang up anyway. */
const CLOSE_HANDSHAKE_MS = 1000;

/** Node's `rawHeaders` ([name, value, name, value...]) as lower-cased pairs in arrival order. */
function headerPairs(raw: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([(raw[i] ?? "").toLowerCase(), raw[i + 1] ?? ""]);
  return pairs;
}

/**
 * Opens a WebSocket (the `ws` package, over a socket opened and bounded by socket-io.ts), reads the server's
 * first message and closes with a proper close frame. Home Assistant sends
 * `{"type":"auth_required","ha_version":...}` before any authentication; we never answer it, so no login is
 * attempted. What Home Assistant does with each way of leaving (cited in probes/http.ts): a text frame would
 * be an authentication attempt (a failed login); a close frame ends the connection quietly; a connection
 * dropped without a close frame is logged by 2023.x as a warning ("Disconnected: Received non-Text
 * message."). So we send nothing but the upgrade request and a close frame (status 1000): no automatic pong
 * either, and we wait (bounded) for the server's own close frame.
 *
 * Bounds against a hostile peer: the whole exchange ends by `bounds.timeoutMs` (plus at most the close
 * handshake, itself cut at the same deadline), the upgrade answer's head is held to Node's HTTP parser limit
 * (at most 16 KiB), a message to `bounds.maxBytes` (`maxPayload`, which `ws` checks on the announced length
 * before buffering), and compression is not offered, so nothing inflates. The answer is read by Node's HTTP
 * parser, stricter than `parseHead`: a malformed head (a stray CR) gives no hello, as a peer that does not
 * speak HTTP does; aiohttp's answers are well-formed (recorded: pre-onboarding/08-websocket-hello.json).
 */
export async function webSocketHello(
  target: Target,
  path: string,
  bounds: Bounds,
): Promise<WebSocketHello | undefined> {
  const deadline = Date.now() + bounds.timeoutMs;
  const socket = await openSocket(target, bounds.timeoutMs);
  if (socket === undefined) return undefined;
  const hostHeader = target.servername ?? (target.host.includes(":") ? `[${target.host}]` : target.host);
  const url = `${target.tls ? "wss" : "ws"}://${hostHeader}:${target.port}${path}`;
  return new Promise((resolve) => {
    let answer: WebSocketHello | undefined;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.terminate();
      socket.destroy();
      resolve(answer);
    };
    /** Our close frame, then the server's (or the end of the connection), at most until the deadline. */
    const leave = () => {
      clearTimeout(timer);
      if (ws.readyState !== WebSocket.OPEN) return finish();
      ws.close(1000);
      timer = setTimeout(finish, Math.max(1, Math.min(CLOSE_HANDSHAKE_MS, deadline - Date.now())));
    };
    const ws = new WebSocket(url, {
      // the socket is already connected (and through TLS when asked): the request goes over it
      createConnection: () => socket,
      headers: { "User-Agent": "hassguard-scan", Accept: "*/*" },
      maxHeaderSize: Math.min(bounds.maxBytes, 16 * 1024),
      maxPayload: bounds.maxBytes,
      perMessageDeflate: false,
      autoPong: false,
      followRedirects: false,
    });
    ws.on("upgrade", (response) => {
      answer = { status: response.statusCode ?? 101, headers: headerPairs(response.rawHeaders) };
    });
    ws.on("unexpected-response", (request, response) => {
      answer = { status: response.statusCode ?? 0, headers: headerPairs(response.rawHeaders) };
      request.destroy();
      finish();
    });
    ws.once("message", (data: Buffer, isBinary: boolean) => {
      if (answer !== undefined && !isBinary) answer.firstText = data.toString("utf8");
      leave();
    });
    // an invalid handshake, a message over the byte bound, a reset: what arrived before still counts
    ws.on("error", () => {});
    ws.on("close", finish);
    timer = setTimeout(leave, Math.max(1, deadline - Date.now()));
  });
}
