import { defineCheck } from "../../model/check.js";
import { count } from "../../model/words.js";
import { hostPort, openPorts } from "./open-ports.js";
import { weakOnes } from "./ssh-weak-algorithm-list.js";

export const sshWeakAlgorithms = defineCheck({
  id: "ssh/weak-algorithms",
  title: "SSH offers weak key exchange, host key, cipher or MAC algorithms",
  severity: "medium",
  area: "network",
  checklist: "tls",
  formerIds: ["network/ssh-weak-algorithms"],
  needs: ["network"],
  description:
    "The server's KEXINIT lists algorithms that are broken (RC4, DES/3DES and other 64-bit block ciphers, MD5 " +
    "or truncated MACs, 1024-bit Diffie-Hellman, DSA) or being retired because they rest on SHA-1 or CBC mode. " +
    "A client that supports them can be steered into a connection an attacker in the path may decrypt or tamper " +
    "with. Old servers (an outdated Dropbear or OpenSSH, an old add-on) are the usual cause.",
  remediation:
    "Update the SSH server (and the add-on that ships it). For OpenSSH, remove legacy entries from `KexAlgorithms`, " +
    "`HostKeyAlgorithms`, `Ciphers` and `MACs` in `sshd_config` (the defaults of current releases are good), and " +
    "replace a DSA host key with an Ed25519 one. Re-scan to confirm.",
  sources: [
    "RFC 9142 (key exchange method recommendations)",
    "RFC 8758 (RC4 deprecated for SSH)",
    "RFC 8332 and OpenSSH 8.8 release notes (ssh-rsa/SHA-1 signatures disabled by default)",
    "https://sweet32.info/ (64-bit block ciphers)",
    "shared ha-facts.md (ssh-audit grading of KEX/cipher/MAC/host key)",
  ],
  run(facts) {
    return openPorts(facts).flatMap((open) => {
      const ssh = open.port.ssh;
      if (ssh === undefined) return [];
      const weak = [
        ...weakOnes("kex", ssh.kexAlgorithms),
        ...weakOnes("host key", ssh.hostKeyAlgorithms),
        ...weakOnes("cipher", ssh.ciphers),
        ...weakOnes("mac", ssh.macs),
      ];
      if (weak.length === 0) return [];
      const broken = weak.some((w) => w.rule.level === "broken");
      return [
        {
          severity: broken ? ("medium" as const) : ("low" as const),
          message:
            `SSH on ${hostPort(open)} offers ${count(weak.length, `${broken ? "broken or legacy" : "legacy"} algorithm`)}: ` +
            weak.map((w) => `${w.name} (${w.rule.kind}: ${w.rule.why})`).join(", "),
          location: open.location,
          evidence: ssh.banner,
        },
      ];
    });
  },
});
