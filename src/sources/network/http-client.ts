import { randomBytes } from "node:crypto";
import type { Socket } from "node:net";
import { type Bounds, openSocket, readBounded, type Target, writeQuietly } from "./socket-io.js";

/**
 * A minimal HTTP/1.1 client over a raw socket. Node's `http` module bounds idle time, not total time or
 * size; a probe must survive a peer that drips one byte a second, so every request here has a hard deadline
 * and byte cap. Only GET, only `Connection: close`; never credentials.
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
  headers: [string, string][];
  /** The first text frame the server sent unasked, when it sent one within the bounds. */
  firstText?: string;
}

/** How long we wait for the server to answer our close frame before we hang up anyway. */
const CLOSE_HANDSHAKE_MS = 1000;

/**
 * A client close frame (RFC 6455 §5.5.1), status 1000 "normal closure". Client frames must be masked
 * (§5.3); the mask need not be secret, only present.
 */
export function maskedCloseFrame(): Buffer {
  const mask = randomBytes(4);
  const payload = Buffer.from([0x03, 0xe8]); // 1000
  const masked = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] ?? 0)));
  return Buffer.concat([Buffer.from([0x88, 0x80 | payload.length]), mask, masked]);
}

/**
 * Opens a WebSocket, reads the server's first text frame and closes with a proper close frame. Home
 * Assistant sends `{"type":"auth_required","ha_version":...}` before any authentication; we never answer
 * it, so no login is attempted. What Home Assistant does with each way of leaving (cited in probes/http.ts):
 * a text frame would be an authentication attempt (a failed login); a close frame ends the connection
 * quietly; a connection dropped without a close frame is logged by 2023.x as a warning ("Disconnected:
 * Received non-Text message."). So we send the close frame and wait (bounded) for the server's own.
 */
export async function webSocketHello(
  target: Target,
  path: string,
  bounds: Bounds,
): Promise<WebSocketHello | undefined> {
  const deadline = Date.now() + bounds.timeoutMs;
  const socket = await openSocket(target, bounds.timeoutMs);
  if (socket === undefined) return undefined;
  try {
    const key = randomBytes(16).toString("base64");
    writeQuietly(
      socket,
      requestHead(target, path, {
        Upgrade: "websocket",
        Connection: "Upgrade",
        "Sec-WebSocket-Key": key,
        "Sec-WebSocket-Version": "13",
      }),
    );
    let head: ParsedHead | undefined;
    const result = await readBounded(
      socket,
      { timeoutMs: Math.max(1, deadline - Date.now()), maxBytes: bounds.maxBytes },
      (data) => {
        if (looksLikeHttp(data) === false) return true;
        head ??= parseHead(data);
        if (head === undefined) return false;
        if (head.status !== 101) return bodyComplete(head, data);
        return parseTextFrame(data.subarray(head.bodyStart)) !== undefined;
      },
    );
    head ??= parseHead(result.data);
    if (head === undefined) return undefined;
    const firstText = head.status === 101 ? parseTextFrame(result.data.subarray(head.bodyStart)) : undefined;
    if (head.status === 101 && !result.ended) await closeHandshake(socket, deadline);
    return { status: head.status, headers: head.headers, ...(firstText === undefined ? {} : { firstText }) };
  } finally {
    socket.destroy();
  }
}

/** Sends our close frame and waits until the server closes too (its close frame or the end of the stream). */
async function closeHandshake(socket: Socket, deadline: number): Promise<void> {
  writeQuietly(socket, maskedCloseFrame());
  await readBounded(
    socket,
    { timeoutMs: Math.max(1, Math.min(CLOSE_HANDSHAKE_MS, deadline - Date.now())), maxBytes: 4096 },
    (data) => data.length >= 2 && ((data[0] ?? 0) & 0x0f) === 0x8,
  );
}

/** The payload of a complete, unmasked text frame at the start of `data` (RFC 6455 §5.2). */
export function parseTextFrame(data: Buffer): string | undefined {
  if (data.length < 2) return undefined;
  const opcode = (data[0] ?? 0) & 0x0f;
  let length = (data[1] ?? 0) & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (data.length < 4) return undefined;
    length = data.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (data.length < 10) return undefined;
    const big = data.readBigUInt64BE(2);
    if (big > BigInt(data.length)) return undefined;
    length = Number(big);
    offset = 10;
  }
  if (opcode !== 1 || data.length < offset + length) return undefined;
  return data.subarray(offset, offset + length).toString("utf8");
}
