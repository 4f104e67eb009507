import net from "node:net";
import { Client } from "ssh2";
import type { ProbeOptions } from "./options.js";

export interface SshAuthQuery {
  /** What the server answered to a `none` request (RFC 4252 §5.2): the methods that can continue. */
  methods?: string[];
  /** The server let a `none` request in: no authentication at all. */
  noneAccepted?: boolean;
  error?: string;
}

/** A user name that exists nowhere, so the server answers with its generic list and logs nothing useful. */
const PROBE_USER = "hassguard-probe";

/**
 * Does a real key exchange (ssh2 does the cryptography) and sends one `none` authentication request to
 * learn which methods the server offers. Never sends a password or a key. The socket is ours, so bytes
 * and time stay bounded even if the peer misbehaves after the banner.
 */
export function queryAuthMethods(host: string, port: number, opts: ProbeOptions): Promise<SshAuthQuery> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const client = new Client();
    let received = 0;
    let settled = false;
    const finish = (result: SshAuthQuery): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.end();
      sock.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ error: "timed out before the server listed its auth methods" }),
      opts.timeoutMs,
    );
    sock.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (received > opts.maxBytes) finish({ error: `server sent more than ${opts.maxBytes} bytes` });
    });
    sock.on("error", (err) => finish({ error: `connection error: ${err.message}` }));
    client.on("error", (err) => finish({ error: err.message }));
    client.on("ready", () => finish({ methods: [], noneAccepted: true }));
    client.connect({
      sock,
      username: PROBE_USER,
      readyTimeout: opts.timeoutMs,
      // We only look: the host key is recorded nowhere and nothing secret is sent, so any key will do.
      hostVerifier: () => true,
      authHandler: (methodsLeft, _partial, next) => {
        if (methodsLeft === null) return next({ type: "none", username: PROBE_USER });
        finish({ methods: [...methodsLeft] });
        return next(false as never);
      },
    });
  });
}
