import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PortReport } from "../../../src/model/network-facts.js";
import { scanNetwork } from "../../../src/sources/network/index.js";
import { networkFacts, networkFindings } from "./helpers/facts.js";
import { type Daemon, freePort, startDaemon, tempDir } from "./helpers/services.js";

const SCANS = 10;
/**
 * Mosquitto's lines for a refused login: "Client <id> disconnected, not authorised." (a missing or wrong
 * password alike) and, with `log_type all`, the CONNACK it sends with return code 4 (bad user name or password)
 * or 5 (not authorised). fail2ban ships no Mosquitto filter (none in /etc/fail2ban/filter.d); a home-made one
 * would match these lines.
 */
const REFUSED_LOGIN = [/not authori[sz]ed/i, /Sending CONNACK to .* \(\d+, [45]\)/];

/** Mosquitto's log once every connection it logged as new is also logged as gone (bounded wait). */
async function settledLog(file: string): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const lines = readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l !== "");
    const opened = lines.filter((l) => / New connection from /.test(l)).length;
    const gone = lines.filter((l) => / Client \S+ (?:closed its connection|disconnected)/.test(l)).length;
    if (opened > 0 && gone >= opened) return lines;
    if (Date.now() > deadline) throw new Error(`mosquitto log did not settle:\n${lines.join("\n")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("ten scans of a real Mosquitto that requires a password leave no refused login in its log", () => {
  const dir = tempDir("mosquitto-log");
  let broker: { port: number; daemon: Daemon; log: string };
  let asked: { port: number; daemon: Daemon; log: string };
  const reports: (PortReport | undefined)[] = [];

  const start = async (name: string) => {
    const port = await freePort();
    const log = join(dir.path, `${name}.log`);
    const conf = join(dir.path, `${name}.conf`);
    writeFileSync(join(dir.path, "passwd"), "");
    writeFileSync(log, "");
    writeFileSync(
      conf,
      [
        "persistence false",
        `log_dest file ${log}`,
        "log_type all",
        "connection_messages true",
        "user root",
        `listener ${port} 127.0.0.1`,
        "allow_anonymous false",
        `password_file ${join(dir.path, "passwd")}`,
        "",
      ].join("\n"),
    );
    return { port, log, daemon: await startDaemon("/usr/sbin/mosquitto", ["-c", conf], "127.0.0.1", port) };
  };

  beforeAll(async () => {
    broker = await start("quiet");
    asked = await start("asked");
    for (let i = 0; i < SCANS; i++) {
      const { facts } = await scanNetwork(["127.0.0.1"], { ports: [broker.port], probeTimeoutMs: 3000 });
      reports.push(facts.hosts[0]?.ports.find((p) => p.port === broker.port));
    }
    await scanNetwork(["127.0.0.1"], { ports: [asked.port], probeTimeoutMs: 3000, loginProbes: true });
  });
  afterAll(async () => {
    await Promise.all([broker?.daemon.stop(), asked?.daemon.stop()]);
    dir.remove();
  });

  it("still recognises the broker on every scan, and says it did not ask about anonymous access", () => {
    for (const report of reports) {
      expect(report?.service).toBe("mqtt");
      expect(report?.mqtt).toMatchObject({ connackCode: 1, anonymousAccepted: false, anonymousNotAsked: true });
    }
    const findings = networkFindings(networkFacts("127.0.0.1", [{ port: broker.port, ...reports[0] }]));
    expect(findings.find((f) => f.id === "mqtt/anonymous")?.severity).toBe("info");
  });

  it("leaves no 'not authorised' line and no refusing CONNACK", async () => {
    const lines = await settledLog(broker.log);
    expect(lines.filter((l) => / New connection from /.test(l)).length).toBeGreaterThanOrEqual(SCANS);
    expect(lines.filter((l) => REFUSED_LOGIN.some((re) => re.test(l)))).toEqual([]);
  });

  it("with --login-probes sends the anonymous CONNECT, which Mosquitto logs as a refused login (why it is opt-in)", async () => {
    const lines = await settledLog(asked.log);
    expect(lines.some((l) => /Client <unknown> disconnected, not authorised\./.test(l))).toBe(true);
  });
});
