/**
 * SSH algorithms a server should no longer offer, with why. `broken` ones allow practical attacks or
 * use primitives with known breaks; `legacy` ones rest on SHA-1 signatures or CBC and are being retired.
 * Left out on purpose: what a current OpenSSH offers by default (hmac-sha1 and umac-64 MACs, NIST curves):
 * HMAC-SHA1 does not depend on SHA-1's collision resistance, and flagging a stock server is noise.
 */
export interface WeakAlgorithm {
  kind: "kex" | "host key" | "cipher" | "mac";
  pattern: RegExp;
  level: "broken" | "legacy";
  why: string;
}

export const WEAK_SSH_ALGORITHMS: WeakAlgorithm[] = [
  { kind: "kex", pattern: /^diffie-hellman-group1-sha1$/, level: "broken", why: "1024-bit group (Logjam), SHA-1" },
  {
    kind: "kex",
    pattern: /^diffie-hellman-group-exchange-sha1$/,
    level: "legacy",
    why: "SHA-1 (RFC 9142: SHOULD NOT)",
  },
  {
    kind: "kex",
    pattern: /^diffie-hellman-group14-sha1$/,
    level: "legacy",
    why: "SHA-1 (RFC 9142: MAY, being retired)",
  },
  { kind: "kex", pattern: /^(gss-.*-sha1-|rsa1024-sha1)/, level: "broken", why: "SHA-1 with weak groups or RSA-1024" },
  { kind: "host key", pattern: /^ssh-dss$/, level: "broken", why: "DSA-1024 with SHA-1" },
  {
    kind: "host key",
    pattern: /^ssh-rsa$/,
    level: "legacy",
    why: "RSA signatures with SHA-1 (off by default since OpenSSH 8.8)",
  },
  { kind: "cipher", pattern: /^(arcfour|rc4)/, level: "broken", why: "RC4 (RFC 8758)" },
  { kind: "cipher", pattern: /^(des|3des)/, level: "broken", why: "64-bit block cipher (Sweet32)" },
  { kind: "cipher", pattern: /^(blowfish|cast128|idea)-/, level: "broken", why: "64-bit block cipher (Sweet32)" },
  { kind: "cipher", pattern: /^none$/, level: "broken", why: "no encryption at all" },
  { kind: "cipher", pattern: /-cbc(@.*)?$/, level: "legacy", why: "CBC mode (plaintext recovery attacks on SSH)" },
  { kind: "mac", pattern: /^hmac-md5/, level: "broken", why: "MD5" },
  { kind: "mac", pattern: /^hmac-(sha1|md5)-96/, level: "broken", why: "truncated tag on a retired hash" },
  { kind: "mac", pattern: /^none$/, level: "broken", why: "no integrity protection" },
  { kind: "mac", pattern: /^hmac-ripemd160/, level: "legacy", why: "RIPEMD-160, retired by OpenSSH" },
];

export function weakOnes(
  kind: WeakAlgorithm["kind"],
  offered: string[] | undefined,
): Array<{ name: string; rule: WeakAlgorithm }> {
  const out: Array<{ name: string; rule: WeakAlgorithm }> = [];
  for (const name of offered ?? []) {
    const rule = WEAK_SSH_ALGORITHMS.find((r) => r.kind === kind && r.pattern.test(name));
    if (rule) out.push({ name, rule });
  }
  return out;
}
