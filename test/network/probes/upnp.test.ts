import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UpnpResult } from "../../../src/model/network-probes.js";
import { networkFacts, networkFindings, summary } from "./helpers/facts.js";
import { deleteNamespaces, ip, uniqueName } from "./helpers/netns.js";
import { type Daemon, startDaemon, tempDir } from "./helpers/services.js";

const run = promisify(execFile);

/**
 * A real miniupnpd as the Internet gateway of a LAN made of two network namespaces joined by a veth pair:
 * GW (10.77.0.1, miniupnpd on the LAN side, a second veth as its "WAN") and CLIENT (10.77.0.2, the scanned
 * host). The probe runs inside CLIENT (`ip netns exec`), so its SSDP multicast and HTTP never leave the
 * namespaces this test makes. miniupnpd refuses to forward when its external address is private, so it is
 * told one (`ext_ip`); that address exists only in its configuration and nothing is ever sent to it.
 */
describe("discoverUpnpMappings against a real miniupnpd", () => {
  const gw = uniqueName("hgupgw");
  const client = uniqueName("hgupcl");
  const lanGw = uniqueName("hgl");
  const lanClient = uniqueName("hgc");
  const dir = tempDir("upnp");
  let daemon: Daemon | undefined;

  beforeAll(async () => {
    ip("netns", "add", gw);
    ip("netns", "add", client);
    ip("link", "add", lanGw, "type", "veth", "peer", "name", lanClient);
    ip("link", "set", lanGw, "netns", gw);
    ip("link", "set", lanClient, "netns", client);
    ip("-n", gw, "link", "set", "lo", "up");
    ip("-n", client, "link", "set", "lo", "up");
    ip("-n", gw, "link", "add", "wan0", "type", "veth", "peer", "name", "wan1");
    ip("-n", gw, "addr", "add", "192.0.2.1/24", "dev", "wan0");
    ip("-n", gw, "link", "set", "wan0", "up");
    ip("-n", gw, "link", "set", "wan1", "up");
    ip("-n", gw, "addr", "add", "10.77.0.1/24", "dev", lanGw);
    ip("-n", gw, "link", "set", lanGw, "up");
    ip("-n", client, "addr", "add", "10.77.0.2/24", "dev", lanClient);
    ip("-n", client, "link", "set", lanClient, "up");
    ip("-n", client, "route", "add", "default", "via", "10.77.0.1");
    // the nftables chains miniupnpd-nftables adds its rules to (as its nft_init.sh makes them)
    const ruleset = join(dir.path, "gateway.nft");
    writeFileSync(
      ruleset,
      [
        "table inet filter {",
        "  chain forward {\n    type filter hook forward priority 0; policy drop;\n    jump miniupnpd\n  }",
        "  chain miniupnpd {\n  }",
        "  chain prerouting {\n    type nat hook prerouting priority -100; policy accept;\n    jump prerouting_miniupnpd\n  }",
        "  chain postrouting {\n    type nat hook postrouting priority 100; policy accept;\n    jump postrouting_miniupnpd\n  }",
        "  chain prerouting_miniupnpd {\n  }",
        "  chain postrouting_miniupnpd {\n  }",
        "}",
        "",
      ].join("\n"),
    );
    await run("ip", ["netns", "exec", gw, "nft", "-f", ruleset]);
    const conf = join(dir.path, "miniupnpd.conf");
    writeFileSync(
      conf,
      [
        "ext_ifname=wan0",
        "ext_ip=198.0.0.11",
        `listening_ip=${lanGw}`,
        "port=5000",
        "enable_natpmp=no",
        "enable_upnp=yes",
        "secure_mode=no",
        "system_uptime=yes",
        "uuid=3d3cec3a-8cf0-11e0-98ee-001a6bd2d07b",
        `lease_file=${join(dir.path, "leases")}`,
        "allow 1-65535 10.77.0.0/24 1-65535",
        "deny 0-65535 0.0.0.0/0 0-65535",
        "",
      ].join("\n"),
    );
    daemon = await startDaemon(
      "ip",
      ["netns", "exec", gw, "/usr/sbin/miniupnpd", "-d", "-f", conf, "-P", join(dir.path, "pid")],
      "10.77.0.1",
      5000,
      { readyWhen: (output) => output.includes("HTTP listening on port") },
    );
  });

  afterAll(async () => {
    await daemon?.stop();
    deleteNamespaces(gw, client);
    dir.remove();
  });

  /** Adds `mappings` through the gateway, then runs the probe for `target`, both inside CLIENT. */
  async function probeFromClient(mappings: object[], target: string): Promise<UpnpResult> {
    const { stdout } = await run(
      "ip",
      [
        "netns",
        "exec",
        client,
        process.execPath,
        "--import",
        "tsx",
        "test/network/probes/helpers/upnp-client.ts",
        JSON.stringify(mappings),
        target,
        "http://10.77.0.1:5000/rootDesc.xml",
      ],
      { timeout: 20_000 },
    );
    return JSON.parse(stdout) as UpnpResult;
  }

  it("finds the gateway over SSDP and lists only the forwards that point at the scanned host", async () => {
    const result = await probeFromClient(
      [
        { externalPort: 8123, internalPort: 8123, internalClient: "10.77.0.2", description: "Home Assistant" },
        { externalPort: 4445, internalPort: 445, internalClient: "10.77.0.2", description: "samba" },
        { externalPort: 3000, internalPort: 3000, internalClient: "10.77.0.9", description: "someone else" },
      ],
      "10.77.0.2",
    );
    expect(result.error).toBeUndefined();
    expect(result.gateway).toBe("http://10.77.0.1:5000/rootDesc.xml");
    expect(result.entriesRead).toBe(3);
    const forwards = result.mappings
      .map((m) => `${m.externalPort}->${m.internalClient}:${m.internalPort}/${m.protocol}`)
      .sort();
    expect(forwards).toEqual(["4445->10.77.0.2:445/TCP", "8123->10.77.0.2:8123/TCP"]);
    expect(result.mappings.find((m) => m.internalPort === 8123)).toMatchObject({
      enabled: true,
      remoteHost: "",
      description: "Home Assistant",
    });
    expect(summary(networkFindings(networkFacts("10.77.0.2", [], result)))).toEqual([
      "upnp/port-forward critical 10.77.0.2:445",
      "upnp/port-forward high 10.77.0.2:8123",
    ]);
  });

  it("ignores an SSDP answer whose LOCATION points at another host", async () => {
    const rogue = await startDaemon(
      "ip",
      ["netns", "exec", client, process.execPath, "--import", "tsx", "test/network/probes/helpers/ssdp-rogue.ts"],
      "10.77.0.2",
      1900,
      { readyWhen: (output) => output.includes("ready") },
    );
    try {
      const result = await probeFromClient([], "10.77.0.2");
      expect(result.error).toBeUndefined();
      expect(result.gateway).toBe("http://10.77.0.1:5000/rootDesc.xml");
    } finally {
      await rogue.stop();
    }
  });

  it("reports no mapping for a host nothing is forwarded to", async () => {
    const result = await probeFromClient([], "10.77.0.5");
    expect(result.entriesRead).toBeGreaterThanOrEqual(3);
    expect(result.mappings).toEqual([]);
  });
});
