import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeSsh } from "../../../src/sources/network/probes/ssh.js";
import { networkFacts, networkFindings, summary } from "./helpers/facts.js";
import { freePort, tempDir } from "./helpers/services.js";
import { type SshdInstance, startSshd } from "./helpers/sshd.js";

/**
 * These tests ask for the auth methods (`--login-probes`); ssh-log.test.ts shows what that costs. Generous: a
 * real sshd always answers, so the bound is never waited out; a busy machine is slow to answer.
 */
const opts = { timeoutMs: 60_000, maxBytes: 256 * 1024, authMethods: true };

describe("probeSsh against a real OpenSSH server", () => {
  const dir = tempDir("sshd");
  let withPassword: SshdInstance;
  let keysOnly: SshdInstance;
  let weak: SshdInstance;

  beforeAll(async () => {
    withPassword = await startSshd(dir.path, "password", ["PasswordAuthentication yes"]);
    keysOnly = await startSshd(dir.path, "keys", ["PasswordAuthentication no", "ListenAddress ::1"]);
    weak = await startSshd(dir.path, "weak", [
      "PasswordAuthentication no",
      "KexAlgorithms +diffie-hellman-group1-sha1,diffie-hellman-group14-sha1",
      "Ciphers +3des-cbc,aes128-cbc",
      "MACs +hmac-sha1,hmac-md5",
    ]);
  });
  afterAll(async () => {
    await Promise.all([withPassword?.daemon.stop(), keysOnly?.daemon.stop(), weak?.daemon.stop()]);
    dir.remove();
  });

  it("reads the banner, the KEXINIT and sees password authentication offered", async () => {
    const result = await probeSsh("127.0.0.1", withPassword.port, opts);
    expect(result).toBeDefined();
    expect(result?.banner).toMatch(/^SSH-2\.0-OpenSSH_/);
    expect(result?.software).toMatch(/^OpenSSH_\d/);
    expect(result?.kexAlgorithms).toContain("curve25519-sha256");
    expect(result?.hostKeyAlgorithms).toContain("ssh-ed25519");
    expect(result?.ciphers).toContain("aes256-gcm@openssh.com");
    expect(result?.authError).toBeUndefined();
    expect(result?.authMethods).toContain("password");
    expect(result?.authMethods).toContain("publickey");
  });

  it("sees only public keys when password authentication is off", async () => {
    const result = await probeSsh("127.0.0.1", keysOnly.port, opts);
    expect(result?.authMethods).toEqual(["publickey"]);
    expect(result?.noAuthentication).toBeUndefined();
  });

  it("works the same over IPv6", async () => {
    const result = await probeSsh("::1", keysOnly.port, opts);
    expect(result?.banner).toMatch(/^SSH-2\.0-OpenSSH_/);
    expect(result?.authMethods).toEqual(["publickey"]);
  });

  it("lists the weak algorithms a server was configured to accept", async () => {
    const result = await probeSsh("127.0.0.1", weak.port, opts);
    expect(result?.kexAlgorithms).toContain("diffie-hellman-group1-sha1");
    expect(result?.ciphers).toContain("3des-cbc");
    expect(result?.macs).toContain("hmac-md5");
  });

  it("turns what the probes saw into findings: password login, weak algorithms", async () => {
    const [password, keys, legacy] = await Promise.all([
      probeSsh("127.0.0.1", withPassword.port, opts),
      probeSsh("127.0.0.1", keysOnly.port, opts),
      probeSsh("127.0.0.1", weak.port, opts),
    ]);
    const findings = networkFindings(
      networkFacts("127.0.0.1", [
        { port: withPassword.port, service: "ssh", ssh: password },
        { port: keysOnly.port, service: "ssh", ssh: keys },
        { port: weak.port, service: "ssh", ssh: legacy },
      ]),
    );
    expect(summary(findings)).toEqual([
      `ssh/password-auth medium 127.0.0.1:${withPassword.port}`,
      `ssh/weak-algorithms medium 127.0.0.1:${weak.port}`,
    ]);
    const weakFinding = findings.find((f) => f.id === "ssh/weak-algorithms");
    expect(weakFinding?.message).toContain("diffie-hellman-group1-sha1");
    expect(weakFinding?.message).toContain("3des-cbc");
    expect(weakFinding?.message).toContain("hmac-md5");
  });

  it("says a port that is not SSH does not speak SSH", async () => {
    const closedPort = await freePort();
    expect(await probeSsh("127.0.0.1", closedPort, opts)).toBeUndefined();
  });
});
