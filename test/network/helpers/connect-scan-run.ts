import { connectScan } from "../../../src/sources/network/connect-scan.js";
import { parsePortList } from "../../../src/sources/network/ports.js";

/**
 * Runs the connect scan alone, inside a test's own namespace: `ADDRESS PORTS CONNECTOR WINDOW` (window "auto"
 * or a fixed number in flight). Prints the connector that ran, the open and filtered ports, the number closed.
 */
const [address = "", portList = "", connector = "tcp_wrap", window = "auto"] = process.argv.slice(2);
const fixed =
  window === "auto" ? {} : { initialWindow: Number(window), minWindow: Number(window), maxWindow: Number(window) };
const result = await connectScan(address, parsePortList(portList), {
  connector: connector === "net.Socket" ? "net.Socket" : "tcp_wrap",
  // a dropped port is given up after ~100 ms twice, not the default second
  initialTimeoutMs: 100,
  ...fixed,
});
const ports = (state: string) =>
  [...result.states]
    .filter(([, s]) => s === state)
    .map(([p]) => p)
    .sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({ connector: result.connector, open: ports("open"), filtered: ports("filtered"), closed: ports("closed").length, skipped: result.skipped.length })}\n`,
);
