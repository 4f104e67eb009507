import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Daemon, freePort, startDaemon } from "./services.js";

export interface SshdInstance {
  port: number;
  daemon: Daemon;
  /** sshd's own log (`-E`), when asked for with `logFile`. */
  logFile?: string;
}

/**
 * A real OpenSSH server on 127.0.0.1 with its own host keys and config in `dir/name`. With `logFile`, sshd
 * writes its log there (`-E`) instead of standard error, as it would to syslog but without the prefix.
 */
export async function startSshd(
  dir: string,
  name: string,
  extraConfig: string[],
  options: { logFile?: boolean } = {},
): Promise<SshdInstance> {
  // sshd refuses to start without its privilege separation directory (normally made by systemd)
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const keyDir = join(dir, name);
  mkdirSync(keyDir);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(keyDir, "host_ed25519")]);
  const port = await freePort();
  const config = [
    `Port ${port}`,
    "ListenAddress 127.0.0.1",
    `HostKey ${join(keyDir, "host_ed25519")}`,
    `PidFile ${join(keyDir, "sshd.pid")}`,
    "UsePAM no",
    "StrictModes no",
    "KbdInteractiveAuthentication no",
    ...extraConfig,
  ];
  const configFile = join(keyDir, "sshd_config");
  writeFileSync(configFile, `${config.join("\n")}\n`);
  const logFile = options.logFile ? join(keyDir, "sshd.log") : undefined;
  const args = ["-D", ...(logFile ? ["-E", logFile] : ["-e"]), "-f", configFile];
  const daemon = await startDaemon("/usr/sbin/sshd", args, "127.0.0.1", port);
  return { port, daemon, ...(logFile ? { logFile } : {}) };
}
