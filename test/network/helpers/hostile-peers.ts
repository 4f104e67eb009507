import { randomBytes } from "node:crypto";
import net from "node:net";

/**
 * Peers that try to hurt a scanner: each accepts connections on its own loopback port and misbehaves in one
 * way. Every timer is cleared when the socket closes, and close() destroys everything that is left.
 */
export type Misbehaviour = "silent" | "drip" | "megabyte-banner" | "garbage-tls" | "reset" | "endless-http";

const MEGABYTE = Buffer.alloc(1024 * 1024, "A");

function misbehave(kind: Misbehaviour, socket: net.Socket): void {
  const timers: NodeJS.Timeout[] = [];
  socket.on("close", () => {
    for (const timer of timers) clearInterval(timer);
  });
  switch (kind) {
    case "silent":
      return; // accepts, reads, never says anything
    case "drip":
      // one byte a second, forever
      timers.push(setInterval(() => socket.write("x"), 1000));
      return;
    case "megabyte-banner":
      socket.write(MEGABYTE);
      return;
    case "garbage-tls":
      // answers anything with bytes that start like a TLS handshake record and continue as noise
      socket.once("data", () => {
        socket.write(Buffer.concat([Buffer.from([0x16, 0x03, 0x03, 0x40, 0x00]), randomBytes(16 * 1024)]));
      });
      return;
    case "reset":
      socket.resetAndDestroy();
      return;
    case "endless-http":
      // a status line, then header lines for as long as anyone listens
      socket.once("data", () => {
        socket.write("HTTP/1.1 200 OK\r\n");
        timers.push(setInterval(() => socket.write(`X-Filler: ${"y".repeat(1000)}\r\n`), 5));
      });
      return;
  }
}

export interface HostilePeer {
  kind: Misbehaviour;
  port: number;
  close: () => Promise<void>;
}

export async function startHostilePeer(kind: Misbehaviour): Promise<HostilePeer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
    misbehave(kind, socket);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    kind,
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
