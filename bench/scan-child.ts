// Runs inside a benchmark namespace (bench/scan.ts): `listen ADDR PORTS` keeps listeners open and prints
// "ready"; `scan ADDR [CONNECTOR]` runs hassguard's connect scan over all 65,535 ports (through the connector
// named, tcp_wrap or net.Socket; the default otherwise) and prints {durationMs, open, connector}.
import net from "node:net";
import { connectScan } from "../src/sources/network/connect-scan.js";
import { selectPorts } from "../src/sources/network/ports.js";

const [mode, address = "127.0.0.1", third = ""] = process.argv.slice(2);

if (mode === "listen") {
  for (const port of third.split(",").map(Number)) {
    const server = net.createServer((socket) => {
      socket.on("error", () => {});
      socket.once("data", () => socket.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, address, resolve);
    });
  }
  process.stdout.write("ready\n");
  setInterval(() => {}, 60_000);
} else if (mode === "scan") {
  const connector = third === "net.Socket" || third === "tcp_wrap" ? { connector: third as typeof third } : {};
  const result = await connectScan(address, selectPorts("all"), connector);
  const open = [...result.states].filter(([, state]) => state === "open").map(([port]) => port);
  const filtered = [...result.states.values()].filter((state) => state === "filtered").length;
  process.stdout.write(
    `${JSON.stringify({ durationMs: result.durationMs, open: open.sort((a, b) => a - b), filtered, connector: result.connector })}\n`,
  );
} else {
  process.stderr.write("usage: scan-child.ts listen ADDR PORTS | scan ADDR [tcp_wrap|net.Socket]\n");
  process.exitCode = 2;
}
