// Runs one audit in a fresh process so the benchmark can read its own wall time and peak memory.
import { runAudit } from "../src/app/audit.js";

const dir = process.argv[2] as string;
const started = performance.now();
const cpuBefore = process.cpuUsage();
const report = await runAudit({ configDir: dir, passwordBudgetSeconds: 0, suppressions: [], version: "bench" });
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(
  JSON.stringify({
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    findings: report.findings.length,
    errors: report.errors.length,
  }),
);
