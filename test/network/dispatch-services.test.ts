import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NetworkFacts } from "../../src/model/network-facts.js";
import { scanNetwork } from "../../src/sources/network/index.js";
import { type StandIn, startHaStandIn } from "./helpers/ha-standin.js";
import { startSamba } from "./probes/helpers/samba.js";
import { type Daemon, freePort, startDaemon, tempDir } from "./probes/helpers/services.js";

/**
 * The dispatcher decides by what answers, not by port number: real OpenSSH, Mosquitto (plain and
 * websockets), Samba and the Home Assistant stand-in on random ports are each told apart.
 */
describe("probe dispatch against real services on unusual ports", () => {
  const dir = tempDir("dispatch");
  const daemons: Daemon[] = [];
  let ha: StandIn;
  const ports = { ssh: 0, mqtt: 0, mqttWs: 0, smb: 0, ha: 0 };
  let facts: NetworkFacts;
  let withoutLoginProbes: NetworkFacts;

  beforeAll(async () => {
    // sshd refuses to start without its privilege separation directory (normally made by systemd)
    mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir.path, "host_ed25519")]);
    ports.ssh = await freePort();
    writeFileSync(
      join(dir.path, "sshd_config"),
      [
        `Port ${ports.ssh}`,
        "ListenAddress 127.0.0.1",
        `HostKey ${join(dir.path, "host_ed25519")}`,
        `PidFile ${join(dir.path, "sshd.pid")}`,
        "UsePAM no",
        "StrictModes no",
        "",
      ].join("\n"),
    );
    daemons.push(
      await startDaemon("/usr/sbin/sshd", ["-D", "-e", "-f", join(dir.path, "sshd_config")], "127.0.0.1", ports.ssh),
    );

    ports.mqtt = await freePort();
    ports.mqttWs = await freePort();
    writeFileSync(
      join(dir.path, "mosquitto.conf"),
      [
        "per_listener_settings false",
        "allow_anonymous true",
        "persistence false",
        "log_dest stderr",
        // as root Mosquitto would switch to its own user, which cannot open the websockets listener here
        "user root",
        `listener ${ports.mqtt} 127.0.0.1`,
        `listener ${ports.mqttWs} 127.0.0.1`,
        "protocol websockets",
        "",
      ].join("\n"),
    );
    daemons.push(
      await startDaemon("/usr/sbin/mosquitto", ["-c", join(dir.path, "mosquitto.conf")], "127.0.0.1", ports.mqtt),
    );
    mkdirSync(join(dir.path, "samba"));
    const samba = await startSamba(
      join(dir.path, "samba"),
      ["map to guest = Bad User"],
      [{ name: "config", guestOk: true, files: ["configuration.yaml"] }],
    );
    daemons.push(samba.daemon);
    ports.smb = samba.port;
    ha = await startHaStandIn("onboarded");
    ports.ha = ha.port;
    const result = await scanNetwork(["127.0.0.1"], {
      ports: Object.values(ports),
      probeTimeoutMs: 5000,
      loginProbes: true,
    });
    facts = result.facts;
    expect(result.errors).toEqual([]);
    const quiet = await scanNetwork(["127.0.0.1"], { ports: [ports.mqtt, ports.smb], probeTimeoutMs: 5000 });
    withoutLoginProbes = quiet.facts;
    expect(quiet.errors).toEqual([]);
  });
  afterAll(async () => {
    await Promise.all(daemons.map((d) => d.stop()));
    await ha?.close();
    dir.remove();
  });

  const service = (port: number) => facts.hosts[0]?.ports.find((p) => p.port === port);

  it("without --login-probes still tells MQTT and SMB apart, and says what it did not try", () => {
    const quiet = (port: number) => withoutLoginProbes.hosts[0]?.ports.find((p) => p.port === port);
    expect(quiet(ports.mqtt)?.service).toBe("mqtt");
    expect(quiet(ports.mqtt)?.mqtt).toMatchObject({
      connackCode: 1,
      anonymousAccepted: false,
      anonymousNotAsked: true,
    });
    expect(quiet(ports.smb)?.service).toBe("smb");
    expect(quiet(ports.smb)?.smb).toMatchObject({ sessionsNotAsked: true, guestSession: false, shares: [] });
  });

  it("recognises OpenSSH by its banner and hands it to the SSH probe", () => {
    expect(service(ports.ssh)?.service).toBe("ssh");
    expect(service(ports.ssh)?.product).toMatch(/^OpenSSH_/);
  });

  it("recognises Mosquitto by an MQTT CONNECT after TLS and HTTP got nowhere", () => {
    expect(service(ports.mqtt)?.service).toBe("mqtt");
    expect(service(ports.mqtt)?.mqtt?.anonymousAccepted).toBe(true);
    // an anonymous broker names itself on $SYS: that becomes the port table's product
    expect(service(ports.mqtt)?.product).toMatch(/^Mosquitto \d+\.\d+/);
  });

  it("recognises MQTT over websockets on an HTTP port", () => {
    expect(service(ports.mqttWs)?.service).toBe("mqtt-ws");
    expect(service(ports.mqttWs)?.mqtt?.transport).toBe("ws");
  });

  it("recognises Samba by an SMB negotiate after every other protocol got nowhere", () => {
    expect(service(ports.smb)?.service).toBe("smb");
    expect(service(ports.smb)?.smb?.guestSession).toBe(true);
    // (the share list is probes/smb.test.ts's: here, off SMB's own ports, the SMB probe comes after every other
    // protocol has timed out on smbd, and on a busy machine starting samba-dcerpcd for srvsvc may not fit in
    // what remains of the port's time budget; that the SMB probe's result arrives whole is shown above)
  });

  it("recognises Home Assistant, whatever its port", () => {
    expect(service(ports.ha)?.service).toBe("home-assistant");
  });
});
