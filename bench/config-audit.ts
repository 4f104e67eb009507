import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { writeLargeHome } from "./large-home.js";

/** The configuration audit on a generated ~2,000-file, ~200,000-line home: wall time and peak memory. */
export async function benchConfigAudit(): Promise<string[]> {
  const root = mkdtempSync(path.join(tmpdir(), "hassguard-bench-home-"));
  try {
    const { files, lines } = writeLargeHome(root);
    const runs = [0, 1, 2].map(() => {
      const out = execFileSync(
        process.execPath,
        ["--import", "tsx", path.join(import.meta.dirname, "audit-child.ts"), root],
        {
          encoding: "utf8",
          timeout: 120_000,
        },
      );
      return JSON.parse(out) as { ms: number; cpuMs: number; maxRssMiB: number; findings: number; errors: number };
    });
    const best = runs.reduce((a, b) => (a.ms < b.ms ? a : b));
    return [
      `config audit: ${files} files, ${lines} lines → ${(best.ms / 1000).toFixed(2)} s (best of 3; aim < 2 s; CPU ${(best.cpuMs / 1000).toFixed(2)} s), peak RSS ${best.maxRssMiB.toFixed(0)} MiB, ${best.findings} findings, ${best.errors} errors`,
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
