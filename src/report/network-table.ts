import type { NetworkFacts } from "../model/network-facts.js";

/** The port table of a scan, one row per open port (closed and filtered are counted, not listed). */
export function renderNetworkTable(network: NetworkFacts): string {
  const rows: string[][] = [["HOST", "PORT", "STATE", "SERVICE", "PRODUCT", "TLS"]];
  const notes: string[] = [];
  for (const host of network.hosts) {
    const open = host.ports.filter((p) => p.state === "open");
    for (const port of open) {
      rows.push([
        host.address,
        `${port.port}/${port.protocol}`,
        port.state,
        port.service ?? "?",
        port.product ?? "",
        port.tls === undefined ? "" : port.tls ? "yes" : "no",
      ]);
    }
    // a full-range scan lists only open ports; its summary has the counts
    const closed = host.summary?.closed ?? host.ports.filter((p) => p.state === "closed").length;
    const filtered = host.summary?.filtered ?? host.ports.filter((p) => p.state === "filtered").length;
    const name = host.hostname === undefined ? host.address : `${host.hostname} (${host.address})`;
    const timing = host.summary === undefined ? "" : ` in ${(host.summary.durationMs / 1000).toFixed(1)} s`;
    const skipped = host.summary?.skipped ? `, ${host.summary.skipped} not scanned (time budget)` : "";
    notes.push(`${name}: ${open.length} open, ${closed} closed, ${filtered} filtered${skipped}${timing}`);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  const table = rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd(),
  );
  return [...table, ...notes].join("\n");
}
