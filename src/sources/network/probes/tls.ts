import net from "node:net";
import tls from "node:tls";
import type { CertificateInfo, TlsProbeResult, TlsVersion } from "../../../model/network-probes.js";
import { describeCertificate } from "./cert-info.js";
import type { ProbeOptions } from "./options.js";

/** The TLS protocol versions we try, oldest first (SSLv3 is compiled out of Debian's OpenSSL 3). */
export const TLS_VERSIONS: readonly TlsVersion[] = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

export interface TlsProbeOptions extends ProbeOptions {
  /** The host name the user gave (for SNI and the name check); the address is checked when absent. */
  servername?: string;
}

interface Handshake {
  version: string;
  cipher: string;
  der?: Buffer;
  trustError?: string;
}

/**
 * One handshake limited to the given versions. `@SECLEVEL=0` lets us complete handshakes that a normal
 * client would refuse (TLS 1.0, 1024-bit keys, SHA-1): we must reach them to report them.
 */
function handshake(
  host: string,
  port: number,
  opts: TlsProbeOptions,
  minVersion: TlsVersion,
  maxVersion: TlsVersion,
): Promise<Handshake | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    const socket = tls.connect({
      host,
      port,
      rejectUnauthorized: false,
      ciphers: "DEFAULT:@SECLEVEL=0",
      minVersion,
      maxVersion,
      ...(opts.servername === undefined || net.isIP(opts.servername) ? {} : { servername: opts.servername }),
    });
    const finish = (result: Handshake | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    // Size: OpenSSL bounds the handshake itself (16 KiB records, a capped certificate list) and fails on
    // garbage at once; after the handshake we read nothing, so `maxBytes` has nothing left to cap here.
    socket.once("error", () => finish(undefined));
    socket.once("close", () => finish(undefined));
    const timer = setTimeout(() => finish(undefined), opts.timeoutMs);
    socket.once("secureConnect", () => {
      const der = socket.getPeerX509Certificate()?.raw;
      const error = socket.authorizationError;
      finish({
        version: socket.getProtocol() ?? "unknown",
        cipher: socket.getCipher()?.name ?? "unknown",
        ...(der === undefined ? {} : { der }),
        ...(error === null || error === undefined ? {} : { trustError: String(error) }),
      });
    });
  });
}

/** Undefined when the port does not complete a TLS handshake (not TLS, or hostile). */
export async function probeTls(host: string, port: number, opts: TlsProbeOptions): Promise<TlsProbeResult | undefined> {
  const first = await handshake(host, port, opts, "TLSv1", "TLSv1.3");
  if (first === undefined) return undefined;
  const perVersion = await Promise.all(TLS_VERSIONS.map((v) => handshake(host, port, opts, v, v)));
  const accepted = TLS_VERSIONS.filter((_, i) => perVersion[i] !== undefined);
  let certificate: CertificateInfo | undefined;
  if (first.der !== undefined) {
    try {
      certificate = describeCertificate(first.der, opts.servername ?? host);
    } catch {
      certificate = undefined; // unparsable certificate: the handshake facts still stand
    }
  }
  return {
    negotiated: first.version,
    cipher: first.cipher,
    accepted,
    ...(certificate === undefined ? {} : { certificate }),
    ...(first.trustError === undefined ? {} : { trustError: first.trustError }),
  };
}
