import { execFile } from "node:child_process";
import { chmodSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SmbProbeResult } from "../../../src/model/network-probes.js";
import { probeSmb } from "../../../src/sources/network/probes/smb.js";
import { networkFacts, networkFindings, summary } from "./helpers/facts.js";
import { deleteNamespaces, ip, uniqueName } from "./helpers/netns.js";
import { startSamba } from "./helpers/samba.js";
import { type Daemon, freePort, tempDir } from "./helpers/services.js";

/**
 * With the anonymous and guest sessions (`--login-probes`); smb-log.test.ts shows what the default sends.
 * Generous: a real smbd always answers, so the bound is never waited out; a busy machine is slow to answer.
 */
const opts = { timeoutMs: 60_000, maxBytes: 1024 * 1024, sessions: true };

const run = promisify(execFile);

/** Runs probeSmb inside `netns` (see helpers/run-probe.ts). */
async function probeSmbInNamespace(netns: string, port: number): Promise<SmbProbeResult | null> {
  const { stdout } = await run(
    "ip",
    [
      "netns",
      "exec",
      netns,
      process.execPath,
      "--import",
      "tsx",
      "test/network/probes/helpers/run-probe.ts",
      "smb",
      "127.0.0.1",
      String(port),
    ],
    { timeout: 20_000 },
  );
  return JSON.parse(stdout) as SmbProbeResult | null;
}

describe("probeSmb against a real Samba", () => {
  const dir = tempDir("samba");
  let guestShares: { port: number; daemon: Daemon };
  let smb1Signed: { port: number; daemon: Daemon };
  let smb1Only: { port: number; daemon: Daemon };
  let onRealPorts: { port: number; daemon: Daemon };
  const netns = uniqueName("hgsmb");

  beforeAll(async () => {
    // mkdtemp makes 0700 directories; the guest account (nobody) must be able to reach the shares.
    chmodSync(dir.path, 0o755);
    // What a careless Home Assistant Samba set-up looks like: `config` open to guests.
    guestShares = await startSamba(
      join(dir.path, "guest"),
      ["map to guest = Bad User", "server min protocol = SMB2_02"],
      [
        { name: "config", guestOk: true, files: ["configuration.yaml", "secrets.yaml"] },
        { name: "media", guestOk: false },
      ],
    );
    // An old set-up: SMB1 still on, signing mandatory, no guests.
    smb1Signed = await startSamba(
      join(dir.path, "smb1"),
      ["map to guest = Never", "restrict anonymous = 2", "server min protocol = NT1", "server signing = mandatory"],
      [{ name: "backup", guestOk: false }],
    );
    // Nothing newer than SMB1 at all.
    smb1Only = await startSamba(
      join(dir.path, "smb1only"),
      ["map to guest = Bad User", "server min protocol = NT1", "server max protocol = NT1"],
      [{ name: "share", guestOk: true }],
    );
    // The usual ports 139 (NetBIOS session first) and 445, inside a namespace of our own.
    ip("netns", "add", netns);
    ip("-n", netns, "link", "set", "lo", "up");
    onRealPorts = await startSamba(
      join(dir.path, "netns"),
      ["map to guest = Bad User"],
      [{ name: "backup", guestOk: true, files: ["home_2026-11-01.tar"] }],
      netns,
    );
  });
  afterAll(async () => {
    await Promise.all([
      guestShares?.daemon.stop(),
      smb1Signed?.daemon.stop(),
      smb1Only?.daemon.stop(),
      onRealPorts?.daemon.stop(),
    ]);
    deleteNamespaces(netns);
    dir.remove();
  });

  it("sees guest access, lists the shares over srvsvc and finds `config` readable", async () => {
    const result = await probeSmb("127.0.0.1", guestShares.port, opts);
    expect(result).toBeDefined();
    expect(result?.smb1).toBe(false);
    expect(result?.dialect).toBe("3.1.1");
    expect(result?.signingRequired).toBe(false);
    expect(result?.guestSession).toBe(true);
    expect(result?.serverName).toBe("HASSTEST");
    expect(result?.sharesEnumerated).toBe(true);
    const config = result?.shares.find((s) => s.name === "config");
    expect(config).toMatchObject({ listed: true, accessible: true, readable: true });
    expect(config?.sampleEntries).toEqual(["configuration.yaml", "secrets.yaml"]);
    expect(result?.shares.find((s) => s.name === "media")).toMatchObject({ listed: true, accessible: false });
    // well-known names the server does not have are not reported
    expect(result?.shares.map((s) => s.name).sort()).toEqual(["config", "media"]);
    expect(result?.error).toBeUndefined();
  });

  it("sees SMB1 accepted and signing required, and no way in without a password", async () => {
    const result = await probeSmb("127.0.0.1", smb1Signed.port, opts);
    expect(result?.smb1).toBe(true);
    expect(result?.signingRequired).toBe(true);
    expect(result?.guestSession).toBe(false);
    expect(result?.shares.filter((s) => s.accessible)).toEqual([]);
  });

  it("reports a server that speaks only SMB1", async () => {
    const result = await probeSmb("127.0.0.1", smb1Only.port, opts);
    expect(result?.smb1).toBe(true);
    expect(result?.dialect).toBeUndefined();
  });

  it("speaks NetBIOS session first on 139, and SMB directly on 445", async () => {
    const [on139, on445] = await Promise.all([probeSmbInNamespace(netns, 139), probeSmbInNamespace(netns, 445)]);
    for (const result of [on139, on445]) {
      expect(result?.dialect).toBe("3.1.1");
      expect(result?.shares.find((s) => s.name === "backup")).toMatchObject({ accessible: true, readable: true });
    }
  });

  it("turns what the probes saw into findings: readable config share, SMB1, signing", async () => {
    const [guest, old] = await Promise.all([
      probeSmb("127.0.0.1", guestShares.port, opts),
      probeSmb("127.0.0.1", smb1Signed.port, opts),
    ]);
    const findings = networkFindings(
      networkFacts("127.0.0.1", [
        { port: guestShares.port, service: "smb", smb: guest },
        { port: smb1Signed.port, service: "smb", smb: old },
      ]),
    );
    expect(summary(findings)).toEqual([
      `smb/guest-shares critical 127.0.0.1:${guestShares.port}`,
      `smb/share-list-open low 127.0.0.1:${guestShares.port}`,
      `smb/signing-not-required medium 127.0.0.1:${guestShares.port}`,
      `smb/v1-enabled high 127.0.0.1:${smb1Signed.port}`,
    ]);
    const share = findings.find((f) => f.id === "smb/guest-shares");
    expect(share?.message).toContain("`config`");
    expect(share?.evidence).toContain("secrets.yaml");
  });

  it("says a closed port does not speak SMB", async () => {
    expect(await probeSmb("127.0.0.1", await freePort(), opts)).toBeUndefined();
  });
});
