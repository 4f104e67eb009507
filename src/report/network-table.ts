import type { NetworkFacts } from "../model/network-facts.js";
import { count } from "../model/words.js";

/**
 * The port table of a scan, one row per open port (closed and filtered are counted, not listed). With
 * `maxRows`, the rows after that many are counted in a closing line instead (`omittedRows` says how many).
 */
export function renderNetworkTable(
  network: NetworkFacts,
  options: { maxRows?: number } = {},
): { text: string; omittedRows: number } {
  const rows: string[][] = [["HOST", "PORT", "STATE", "SERVICE", "PRODUCT", "TLS"]];
  const notes: string[] = [];
  const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;
  let omittedRows = 0;
  for (const host of network.hosts) {
    const open = host.ports.filter((p) => p.state === "open");
    for (const port of open) {
      if (rows.length > maxRows) {
        omittedRows++;
        continue;
      }
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
  if (omittedRows > 0) notes.push(`(${count(omittedRows, "more open port")} not listed here)`);
  return { text: [...table, ...notes].join("\n"), omittedRows };
}
