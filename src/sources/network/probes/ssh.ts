import type { SshProbeResult } from "../../../model/network-probes.js";
import { orUndefined, ProbeSocket } from "./io.js";
import type { ProbeOptions } from "./options.js";
import { queryAuthMethods } from "./ssh-auth.js";
import { readKexInit, readSshBanner } from "./ssh-kexinit.js";

export interface SshProbeOptions extends ProbeOptions {
  /**
   * Also ask which authentication methods the server offers (`--login-probes`). Off by default: the only
   * way to ask is a `none` login request (RFC 4252 §5.2), and sshd logs it as a failed login that fail2ban's
   * stock sshd filter and CrowdSec's ssh-bf count ("Invalid user hassguard-probe from … port …").
   */
  authMethods?: boolean;
}

/** Our identification string (RFC 4253 §4.2): honest about what is knocking. */
const CLIENT_IDENT = "SSH-2.0-hassguard_probe\r\n";

/**
 * Reads the banner and the KEXINIT in the clear; only when asked to, a second connection does a real key
 * exchange to ask which authentication methods the server offers. Undefined when the port does not speak SSH.
 *
 * What sshd (OpenSSH 9.2, `LogLevel VERBOSE`) logs for the default probe, per connection: "Connection from
 * … port …", then "Connection closed by … port … [preauth]" (and for the dispatcher's banner read, which sends
 * nothing, "kex_exchange_identification: Connection closed by remote host"). fail2ban's stock sshd filter in
 * its default `normal` mode counts none of them (its `Connection closed` line is `<F-NOFAIL>`); its `ddos` and
 * `aggressive` modes count every connection that ends before authentication, a banner read included, by design
 * (test/network/probes/ssh-log.test.ts runs the installed filter on the real log).
 */
export async function probeSsh(host: string, port: number, opts: SshProbeOptions): Promise<SshProbeResult | undefined> {
  const deadline = Date.now() + opts.timeoutMs;
  const plain = await orUndefined(() => readPlainHandshake(host, port, opts));
  if (!plain) return undefined;
  if (opts.authMethods !== true) return { ...plain, authMethodsNotAsked: true };
  // Both connections share one time budget.
  const remainingMs = deadline - Date.now();
  const auth =
    remainingMs > 0
      ? await queryAuthMethods(host, port, { ...opts, timeoutMs: remainingMs })
      : { error: "no time left to ask for auth methods" };
  return {
    ...plain,
    ...(auth.methods ? { authMethods: auth.methods } : {}),
    ...(auth.noneAccepted ? { noAuthentication: true } : {}),
    ...(auth.error ? { authError: auth.error } : {}),
  };
}

async function readPlainHandshake(host: string, port: number, opts: ProbeOptions): Promise<SshProbeResult> {
  const sock = await ProbeSocket.connect(host, port, opts);
  try {
    const banner = await readSshBanner(sock);
    sock.write(Buffer.from(CLIENT_IDENT, "latin1"));
    const kex = await readKexInit(sock);
    return {
      banner,
      software: banner.split("-").slice(2).join("-").split(" ")[0] ?? "",
      kexAlgorithms: kex.kexAlgorithms,
      hostKeyAlgorithms: kex.hostKeyAlgorithms,
      ciphers: union(kex.ciphersClientToServer, kex.ciphersServerToClient),
      macs: union(kex.macsClientToServer, kex.macsServerToClient),
    };
  } finally {
    sock.close();
  }
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}
