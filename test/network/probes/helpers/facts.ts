import { checksOf } from "../../../../src/checks/index.js";
import { runChecks } from "../../../../src/model/engine.js";
import type { Facts } from "../../../../src/model/facts.js";
import type { Finding } from "../../../../src/model/finding.js";
import type { NetworkFacts, PortReport } from "../../../../src/model/network-facts.js";

/** Facts as the scan would hand them over: one host, the probed ports open. */
export function networkFacts(
  host: string,
  ports: Array<Omit<PortReport, "protocol" | "state">>,
  upnp?: NetworkFacts["upnp"],
): Facts {
  return {
    network: {
      hosts: [{ address: host, ports: ports.map((p) => ({ protocol: "tcp" as const, state: "open" as const, ...p })) }],
      ...(upnp ? { upnp } : {}),
    },
    missing: {},
    errors: [],
    now: new Date("2026-11-23T00:00:00Z"),
  };
}

/** The findings every registered network check gives on `facts`, as `id severity host:port`. */
export function networkFindings(facts: Facts): Finding[] {
  const run = runChecks(checksOf("network"), facts);
  if (run.errors.length > 0) throw new Error(run.errors.map((e) => e.message).join("; "));
  return run.findings;
}

export function summary(findings: Finding[]): string[] {
  return findings
    .map((f) => {
      const where = f.location && "port" in f.location ? `${f.location.host}:${f.location.port}` : "";
      return `${f.id} ${f.severity} ${where}`;
    })
    .sort();
}
