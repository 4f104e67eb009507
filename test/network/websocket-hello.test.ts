import { createHash } from "node:crypto";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { webSocketHello } from "../../src/sources/network/http-client.js";

/**
 * The WebSocket hello against peers on 127.0.0.1 that each play one part: Home Assistant's answer (a 101,
 * then `auth_required`), and hostile or broken ones. Every peer records the bytes the client sent after its
 * upgrade request, so a test can see the close frame (or anything else) on the wire.
 */
type Behaviour =
  | "hello" // 101 and a text frame, then answers a close frame with its own and hangs up
  | "hello-ignores-close" // 101 and a text frame, then never answers and never hangs up
  | "binary-first" // 101 and a binary frame
  | "silent-after-upgrade" // 101, then nothing
  | "huge-frame" // 101 and a frame header announcing 2 GiB
  | "header-flood" // an endless response head
  | "drip" // the response head, one byte every 100 ms
  | "forbidden"; // 403, as to a banned address

const opts = { timeoutMs: 1500, maxBytes: 64 * 1024 };
/** Generous slack over the probe's own bounds (deadline plus close handshake): this proves "returns". */
const BOUND_MS = opts.timeoutMs + 1000 + 2500;
const HELLO = '{"type":"auth_required","ha_version":"2023.11.3"}';

function frame(opcode: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([0x80 | opcode, payload.length]), payload]);
}

/** The frames a client sent (masked, RFC 6455 §5.3): opcode and unmasked payload of each complete one. */
function clientFrames(data: Buffer): { opcode: number; payload: Buffer }[] {
  const frames: { opcode: number; payload: Buffer }[] = [];
  let offset = 0;
  while (offset + 6 <= data.length) {
    const opcode = (data[offset] ?? 0) & 0x0f;
    const length = (data[offset + 1] ?? 0) & 0x7f; // the client sends only short control frames here
    const mask = data.subarray(offset + 2, offset + 6);
    const payload = Buffer.from(data.subarray(offset + 6, offset + 6 + length).map((b, i) => b ^ (mask[i % 4] ?? 0)));
    frames.push({ opcode, payload });
    offset += 6 + length;
  }
  return frames;
}

interface Peer {
  port: number;
  /** What the client sent after the end of its request head. */
  afterRequest: Buffer;
  requestHead: string;
  close: () => Promise<void>;
}

const peers: Peer[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((peer) => peer.close()));
});

async function startPeer(behaviour: Behaviour): Promise<Peer> {
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const peer: Peer = { port: 0, afterRequest: Buffer.alloc(0), requestHead: "", close: async () => {} };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    let buffered = Buffer.alloc(0);
    let upgraded = false;
    socket.on("data", (chunk: Buffer) => {
      if (upgraded) {
        peer.afterRequest = Buffer.concat([peer.afterRequest, chunk]);
        if (behaviour === "hello" && (chunk[0] ?? 0) === 0x88) socket.end(frame(0x8, Buffer.from([0x03, 0xe8])));
        return;
      }
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf("\r\n\r\n");
      if (end < 0) return;
      upgraded = true;
      peer.requestHead = buffered.subarray(0, end).toString("latin1");
      peer.afterRequest = buffered.subarray(end + 4);
      const key = /^sec-websocket-key:\s*(.+)$/im.exec(peer.requestHead)?.[1]?.trim() ?? "";
      const accept = createHash("sha1").update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
      const switching = `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nServer: Python/3.11 aiohttp/3.8.4\r\n\r\n`;
      switch (behaviour) {
        case "hello":
        case "hello-ignores-close":
          socket.write(switching);
          socket.write(frame(0x1, Buffer.from(HELLO)));
          break;
        case "binary-first":
          socket.write(switching);
          socket.write(frame(0x2, Buffer.from([1, 2, 3])));
          break;
        case "silent-after-upgrade":
          socket.write(switching);
          break;
        case "huge-frame":
          socket.write(switching);
          socket.write(Buffer.from([0x81, 127, 0, 0, 0, 0, 0x80, 0, 0, 0]));
          break;
        case "header-flood": {
          socket.write("HTTP/1.1 101 Switching Protocols\r\n");
          let sent = 0;
          const pump = (): void => {
            while (sent < 4096 && socket.write(`X-Filler-${sent}: ${"y".repeat(200)}\r\n`)) sent++;
            if (sent < 4096) socket.once("drain", pump);
          };
          pump();
          break;
        }
        case "drip": {
          const text = switching;
          let at = 0;
          const timer = setInterval(() => {
            if (at < text.length) socket.write(text[at++] ?? "");
          }, 100);
          timers.add(timer);
          socket.on("close", () => clearInterval(timer));
          break;
        }
        case "forbidden":
          socket.end(
            "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 14\r\nServer: Python/3.11 aiohttp/3.8.4\r\n\r\n403: Forbidden",
          );
          break;
      }
    });
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  peer.port = (server.address() as net.AddressInfo).port;
  peer.close = () =>
    new Promise<void>((resolve) => {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  peers.push(peer);
  return peer;
}

async function hello(behaviour: Behaviour) {
  const peer = await startPeer(behaviour);
  const started = Date.now();
  const result = await webSocketHello({ host: "127.0.0.1", port: peer.port }, "/api/websocket", opts);
  return { result, elapsed: Date.now() - started, peer, sent: clientFrames(peer.afterRequest) };
}

const CLOSE_1000 = { opcode: 0x8, payload: Buffer.from([0x03, 0xe8]) };

describe("WebSocket hello", () => {
  it("reads Home Assistant's first frame, leaves with a close frame (1000) and nothing else", async () => {
    const { result, peer, sent } = await hello("hello");
    expect(result).toEqual({
      status: 101,
      headers: [
        ["upgrade", "websocket"],
        ["connection", "upgrade"],
        ["sec-websocket-accept", expect.any(String)],
        ["server", "Python/3.11 aiohttp/3.8.4"],
      ],
      firstText: HELLO,
    });
    expect(sent).toEqual([CLOSE_1000]);
    // the request as before: an anonymous GET, no compression offered, no credentials
    expect(peer.requestHead).toMatch(/^GET \/api\/websocket HTTP\/1\.1\r\n/);
    expect(peer.requestHead).toMatch(new RegExp(`^Host: 127\\.0\\.0\\.1:${peer.port}$`, "im"));
    expect(peer.requestHead).toMatch(/^User-Agent: hassguard-scan$/im);
    expect(peer.requestHead).not.toMatch(/^(Sec-WebSocket-Extensions|Authorization|Cookie):/im);
  });

  it("gives up on a server that never answers its close frame, within the close-handshake bound", async () => {
    const { result, elapsed, sent } = await hello("hello-ignores-close");
    expect(result?.firstText).toBe(HELLO);
    expect(sent).toEqual([CLOSE_1000]);
    expect(elapsed).toBeLessThan(BOUND_MS);
  });

  it("keeps no text from a binary first message, and still closes properly", async () => {
    const { result, sent } = await hello("binary-first");
    expect(result?.status).toBe(101);
    expect(result?.firstText).toBeUndefined();
    expect(sent).toEqual([CLOSE_1000]);
  });

  it("sends the close frame at the deadline when the server stays silent after the upgrade", async () => {
    const { result, elapsed, sent } = await hello("silent-after-upgrade");
    expect(result).toMatchObject({ status: 101 });
    expect(result?.firstText).toBeUndefined();
    expect(sent).toEqual([CLOSE_1000]);
    expect(elapsed).toBeLessThan(BOUND_MS);
  });

  it("reports the status and headers of a refused upgrade (a ban's 403)", async () => {
    const { result } = await hello("forbidden");
    expect(result?.status).toBe(403);
    expect(result?.headers).toContainEqual(["server", "Python/3.11 aiohttp/3.8.4"]);
  });

  it("refuses a frame announcing 2 GiB without reading it", async () => {
    const { result, elapsed } = await hello("huge-frame");
    expect(result?.status).toBe(101);
    expect(result?.firstText).toBeUndefined();
    expect(elapsed).toBeLessThan(BOUND_MS);
  });

  it("stops at an endless response head and at one that drips, within its bounds", async () => {
    for (const behaviour of ["header-flood", "drip"] as const) {
      const { result, elapsed } = await hello(behaviour);
      expect(result, behaviour).toBeUndefined();
      expect(elapsed, behaviour).toBeLessThan(BOUND_MS);
    }
  });
});
