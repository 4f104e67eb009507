import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PortReport } from "../../../src/model/network-facts.js";
import { scanNetwork } from "../../../src/sources/network/index.js";
import { crowdsecSshFailures, fail2banFailures } from "./helpers/auth-failure-filters.js";
import { networkFacts, networkFindings } from "./helpers/facts.js";
import { tempDir } from "./helpers/services.js";
import { type SshdInstance, startSshd } from "./helpers/sshd.js";

const SCANS = 10;

/** sshd's log once every connection it logged as opened is also logged as closed (bounded wait). */
async function settledLog(sshd: SshdInstance): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const lines = readFileSync(sshd.logFile ?? "", "utf8")
      .split("\n")
      .filter((l) => l !== "");
    const opened = lines.filter((l) => l.startsWith("Connection from ")).length;
    const closed = lines.filter((l) => /^(Connection closed by|Disconnected from) /.test(l)).length;
    if (opened > 0 && closed >= opened) return lines;
    if (Date.now() > deadline) throw new Error(`sshd log did not settle:\n${lines.join("\n")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("ten scans of a real sshd (LogLevel VERBOSE) leave no authentication failure", () => {
  const dir = tempDir("sshd-log");
  let quiet: SshdInstance;
  let asked: SshdInstance;
  const reports: (PortReport | undefined)[] = [];
  let askedReport: PortReport | undefined;

  beforeAll(async () => {
    const config = ["PasswordAuthentication yes", "LogLevel VERBOSE"];
    quiet = await startSshd(dir.path, "quiet", config, { logFile: true });
    asked = await startSshd(dir.path, "asked", config, { logFile: true });
    for (let i = 0; i < SCANS; i++) {
      const { facts } = await scanNetwork(["127.0.0.1"], { ports: [quiet.port], probeTimeoutMs: 5000 });
      reports.push(facts.hosts[0]?.ports.find((p) => p.port === quiet.port));
    }
    const opted = await scanNetwork(["127.0.0.1"], { ports: [asked.port], probeTimeoutMs: 5000, loginProbes: true });
    askedReport = opted.facts.hosts[0]?.ports.find((p) => p.port === asked.port);
  });
  afterAll(async () => {
    await Promise.all([quiet?.daemon.stop(), asked?.daemon.stop()]);
    dir.remove();
  });

  it("still reads the banner and the algorithms on every scan, and says it did not ask about passwords", () => {
    expect(reports).toHaveLength(SCANS);
    for (const report of reports) {
      expect(report?.service).toBe("ssh");
      expect(report?.ssh?.kexAlgorithms).toContain("curve25519-sha256");
      expect(report?.ssh?.authMethods).toBeUndefined();
      expect(report?.ssh?.authMethodsNotAsked).toBe(true);
    }
    const findings = networkFindings(networkFacts("127.0.0.1", [{ port: quiet.port, ...reports[0] }]));
    const notAsked = findings.find((f) => f.id === "ssh/password-auth");
    expect(notAsked?.severity).toBe("info");
    expect(notAsked?.message).toContain("--login-probes");
  });

  it("leaves no line that fail2ban's stock sshd filter (normal mode) or CrowdSec's ssh parser counts", async () => {
    const lines = await settledLog(quiet);
    expect(lines.filter((l) => l.startsWith("Connection from ")).length).toBeGreaterThanOrEqual(SCANS);
    expect(await fail2banFailures(lines, "/etc/fail2ban/filter.d/sshd.conf", "sshd", join(dir.path, "q.log"))).toEqual(
      [],
    );
    expect(crowdsecSshFailures(lines)).toEqual([]);
  });

  it("in fail2ban's ddos/aggressive modes counts the two connections a scan opens, by their design", async () => {
    // those modes count every connection that ends before authentication (a banner read included)
    const lines = await settledLog(quiet);
    const counted = await fail2banFailures(lines, "sshd[mode=aggressive]", "sshd", join(dir.path, "a.log"));
    const connections = lines.filter((l) => l.startsWith("Connection from ")).length;
    // one connection is the test harness's own check that sshd listens
    expect(connections).toBe(2 * SCANS + 1);
    expect(counted).toHaveLength(connections);
  });

  it("with --login-probes learns the methods, at the price of one counted failure (why it is opt-in)", async () => {
    expect(askedReport?.ssh?.authMethods).toContain("password");
    const lines = await settledLog(asked);
    expect(crowdsecSshFailures(lines)).toEqual([
      expect.stringMatching(/^Invalid user hassguard-probe from 127\.0\.0\.1/),
    ]);
    expect(await fail2banFailures(lines, "/etc/fail2ban/filter.d/sshd.conf", "sshd", join(dir.path, "o.log"))).toEqual([
      "127.0.0.1",
    ]);
  });
});
