import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Daemon, freePort, killProcessesMentioning, startDaemon } from "./services.js";

export interface SambaShare {
  name: string;
  guestOk: boolean;
  /** Files created in the share's root. */
  files?: string[];
}

/**
 * A real smbd on 127.0.0.1:PORT (`smb ports`), with every state directory inside `dir` so it touches
 * nothing of the system's Samba. Runs as root (the tests are root), in the foreground.
 */
export async function startSamba(
  dir: string,
  globals: string[],
  shares: SambaShare[],
  /** Run inside this network namespace on its loopback, on the real ports 139 and 445. */
  netns?: string,
  /** smbd's `-d` (it overrides `log level` in smb.conf): "1 auth_audit:3" shows every authentication. */
  debugLevel = "1",
): Promise<{ port: number; daemon: Daemon }> {
  const port = netns ? 445 : await freePort();
  for (const sub of ["private", "lock", "state", "cache", "pid", "ncalrpc", "logs"])
    mkdirSync(join(dir, sub), { recursive: true });
  const lines = [
    "[global]",
    "netbios name = HASSTEST",
    "workgroup = WORKGROUP",
    `smb ports = ${netns ? "139 445" : port}`,
    "interfaces = 127.0.0.1",
    "bind interfaces only = yes",
    `private dir = ${join(dir, "private")}`,
    `lock directory = ${join(dir, "lock")}`,
    `state directory = ${join(dir, "state")}`,
    `cache directory = ${join(dir, "cache")}`,
    `pid directory = ${join(dir, "pid")}`,
    `ncalrpc dir = ${join(dir, "ncalrpc")}`,
    `log file = ${join(dir, "logs", "log.%m")}`,
    `passdb backend = tdbsam:${join(dir, "private", "passdb.tdb")}`,
    "guest account = nobody",
    "load printers = no",
    "printcap name = /dev/null",
    "disable spoolss = yes",
    "disable netbios = yes",
    ...globals,
  ];
  for (const share of shares) {
    const path = join(dir, "shares", share.name);
    mkdirSync(path, { recursive: true, mode: 0o755 });
    for (const file of share.files ?? []) writeFileSync(join(path, file), "recorded for a test\n", { mode: 0o644 });
    lines.push(`[${share.name}]`, `path = ${path}`, `guest ok = ${share.guestOk ? "yes" : "no"}`, "read only = yes");
  }
  const conf = join(dir, "smb.conf");
  writeFileSync(conf, `${lines.join("\n")}\n`);
  const smbd = ["/usr/sbin/smbd", "--foreground", "--no-process-group", "--debug-stdout", "-d", debugLevel, "-s", conf];
  const daemon = netns
    ? await startDaemon("ip", ["netns", "exec", netns, ...smbd], "127.0.0.1", port, {
        readyWhen: () => listensInNamespace(netns, [139, 445]),
      })
    : await startDaemon(smbd[0] ?? "", smbd.slice(1), "127.0.0.1", port);
  // samba-dcerpcd (started on demand for srvsvc) makes its own session: stop it by its config path too.
  const stop = async (): Promise<void> => {
    await daemon.stop();
    killProcessesMentioning(conf);
  };
  return { port, daemon: { ...daemon, stop } };
}

/** True once something listens on every one of `ports` inside `netns` (asked with `ss` in there). */
function listensInNamespace(netns: string, ports: number[]): Promise<boolean> {
  return new Promise((resolve) => {
    execFile("ip", ["netns", "exec", netns, "ss", "-Hltn"], { timeout: 2000 }, (error, stdout) => {
      if (error) return resolve(false);
      resolve(ports.every((p) => new RegExp(`:${p}\\s`).test(stdout)));
    });
  });
}
