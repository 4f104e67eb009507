import net from "node:net";

export type HostileBehaviour = "silent" | "garbage" | "drip" | "flood" | "reset";

/**
 * A TCP server on 127.0.0.1 that misbehaves the way hostile or broken peers do: accepts and never speaks,
 * answers with random bytes, drips one byte every 200 ms, floods megabytes, or resets at once.
 */
export function startHostileServer(behaviour: HostileBehaviour): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on("error", () => {});
    sock.on("close", () => sockets.delete(sock));
    switch (behaviour) {
      case "silent":
        break;
      case "garbage":
        sock.write(Buffer.from([0x13, 0x37, 0xff, 0x00, 0x42, 0xde, 0xad, 0xbe, 0xef, 0x0a, 0x0d, 0x0a]));
        break;
      case "drip": {
        const timer = setInterval(() => sock.write("S"), 200);
        timers.add(timer);
        sock.on("close", () => clearInterval(timer));
        break;
      }
      case "flood": {
        const chunk = Buffer.alloc(64 * 1024, 0x41);
        let sent = 0;
        const pump = (): void => {
          // 16 MiB at most, so the test server itself stays bounded
          while (sent < 256 && sock.write(chunk)) sent++;
          if (sent < 256) sock.once("drain", pump);
        };
        pump();
        break;
      }
      case "reset":
        sock.resetAndDestroy();
        break;
    }
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const timer of timers) clearInterval(timer);
            for (const sock of sockets) sock.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
