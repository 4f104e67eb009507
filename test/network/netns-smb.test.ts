import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/report/report.js";
import { NetNamespace, PROJECT_ROOT } from "./helpers/netns.js";
import { startSamba } from "./probes/helpers/samba.js";
import { type Daemon, tempDir } from "./probes/helpers/services.js";

/**
 * Samba on its real ports 139 and 445, inside a namespace this test makes: the dispatcher asks SMB first
 * there (smbd would sit on a TLS or HTTP opening until each probe timed out), and the full CLI reports it.
 */
describe("SMB on its own ports", () => {
  let ns: NetNamespace;
  let samba: Daemon | undefined;
  const dir = tempDir("netns-smb");

  beforeAll(async () => {
    ns = new NetNamespace(`hg-smb-${process.pid}`);
    const started = await startSamba(
      join(dir.path),
      ["map to guest = Bad User"],
      [{ name: "backup", guestOk: true, files: ["home_2026-11-01.tar"] }],
      ns.name,
    );
    samba = started.daemon;
  });
  afterAll(async () => {
    await samba?.stop();
    await ns?.remove();
    dir.remove();
  });

  it("recognises SMB on 139 and 445 quickly and reports its findings by host and port", () => {
    const result = spawnSync(
      "ip",
      [
        "netns",
        "exec",
        ns.name,
        ...ns.nodeArgs("src/cli/main.ts", [
          "scan",
          "127.0.0.1",
          "--ports",
          "139,445",
          "--format",
          "json",
          "--fail-on",
          "none",
        ]),
      ],
      { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 60_000 },
    );
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    const ports = report.network?.hosts[0]?.ports ?? [];
    expect(ports.map((p) => [p.port, p.state, p.service])).toEqual([
      [139, "open", "smb"],
      [445, "open", "smb"],
    ]);
    // a bound, not a speed measurement: the default probe timeout is 3 s, and each wrong guess (TLS, HTTP,
    // MQTT, MQTT over websockets) would cost one, 12 s before SMB was even tried. Measured inside the scan
    // (its summary), so a busy machine's slow Node start does not count.
    expect(report.network?.hosts[0]?.summary?.durationMs).toBeLessThan(9000);
    const smbFindings = report.findings.filter((f) => f.location && "port" in f.location && f.location.port === 445);
    expect(smbFindings.length).toBeGreaterThan(0);
  });
});
