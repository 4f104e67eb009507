import net from "node:net";

/**
 * Listens on the given ports (argv[2], comma-separated) on 127.0.0.1 and ::1, or on the addresses of argv[3]
 * (comma-separated), prints `ready`, and hangs up on whatever a client sends, as a server refusing an unknown
 * protocol does (keeps the probes short). Run inside a test's own network namespace.
 */
const ports = (process.argv[2] ?? "").split(",").filter(Boolean).map(Number);
const hosts = process.argv[3]?.split(",").filter(Boolean) ?? ["127.0.0.1", "::1"];
const servers: net.Server[] = [];
for (const port of ports) {
  for (const host of hosts) {
    const server = net.createServer((socket) => {
      socket.on("error", () => {});
      socket.once("data", () => socket.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, resolve);
    });
    servers.push(server);
  }
}
process.stdout.write("ready\n");
// stays until killed by the test
setInterval(() => {}, 60_000);
