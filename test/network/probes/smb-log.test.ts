import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SmbProbeResult } from "../../../src/model/network-probes.js";
import { probeSmb } from "../../../src/sources/network/probes/smb.js";
import { networkFacts, networkFindings } from "./helpers/facts.js";
import { startSamba } from "./helpers/samba.js";
import { type Daemon, tempDir } from "./helpers/services.js";

const SCANS = 10;
/**
 * Samba's authentication audit (debug class `auth_audit`, level 2 for failures and 3 for successes) writes one
 * "Auth: [SMB2,…] user […] … status [NT_STATUS_…]" line per logon; a status other than NT_STATUS_OK is a failed
 * authentication. fail2ban ships no Samba filter (none in /etc/fail2ban/filter.d); a home-made one matches these.
 */
const failedAuth = (line: string) => /^Auth: /.test(line.trim()) && !/status \[NT_STATUS_OK\]/.test(line);
const anyAuth = (line: string) => /^Auth: /.test(line.trim());

/** smbd's output once a line `until` accepts has arrived (bounded wait for that event). */
async function outputUntil(daemon: Daemon, until: (line: string) => boolean): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const lines = daemon.output().split("\n");
    if (lines.some(until)) return lines;
    if (Date.now() > deadline) throw new Error(`smbd did not log the expected line:\n${lines.join("\n")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("ten SMB probes of a real Samba (auth audit on) leave no failed authentication", () => {
  const dir = tempDir("samba-log");
  let samba: { port: number; daemon: Daemon };
  const reports: (SmbProbeResult | undefined)[] = [];
  let auditLines: string[] = [];
  // The SMB step of a scan, as the dispatcher runs it (dispatch-services.test.ts runs it through a whole scan;
  // on a port other than 139/445 a whole scan first spends a probe timeout on each other protocol's guess)
  const probe = (loginProbes: boolean) =>
    probeSmb("127.0.0.1", samba.port, { timeoutMs: 5000, maxBytes: 1024 * 1024, sessions: loginProbes });

  beforeAll(async () => {
    chmodSync(dir.path, 0o755);
    mkdirSync(join(dir.path, "smbd"));
    const globals = ["map to guest = Never", "server min protocol = SMB2_02"];
    samba = await startSamba(
      join(dir.path, "smbd"),
      globals,
      [{ name: "config", guestOk: false }],
      undefined,
      "1 auth_audit:3",
    );
    for (let i = 0; i < SCANS; i++) reports.push(await probe(false));
    // then one probe with --login-probes: its guest logon is the last line we wait for, and smbd writes its
    // log in order, so any logon line of the ten probes before would stand before it
    await probe(true);
    const lines = await outputUntil(samba.daemon, (l) => failedAuth(l) && l.includes("hassguard-guest-probe"));
    auditLines = lines.filter(anyAuth);
  }, 120_000);
  afterAll(async () => {
    await samba?.daemon.stop();
    dir.remove();
  });

  it("still reads the dialect and signing on every probe, and says it did not try a logon", () => {
    for (const report of reports)
      expect(report).toMatchObject({ dialect: "3.1.1", sessionsNotAsked: true, anonymousSession: false });
    const findings = networkFindings(
      networkFacts("127.0.0.1", [{ port: samba.port, service: "smb", ...(reports[0] ? { smb: reports[0] } : {}) }]),
    );
    expect(findings.find((f) => f.id === "smb/guest-shares")?.severity).toBe("info");
  });

  it("sends no logon by default: the audit's only lines are those of the one --login-probes run", () => {
    // anonymous (accepted, NT_STATUS_OK), then the guest logon of a user that does not exist (failed)
    expect(auditLines).toHaveLength(2);
    expect(auditLines[0]).toContain("status [NT_STATUS_OK]");
    expect(auditLines[1]).toContain("[hassguard-guest-probe]");
    expect(auditLines[1]).toContain("NT_STATUS_NO_SUCH_USER");
    expect(auditLines.filter(failedAuth)).toHaveLength(1);
  });
});
