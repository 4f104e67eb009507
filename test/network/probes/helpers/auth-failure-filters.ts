import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";

/**
 * What counts as an authentication failure in a service's log, for the tools that ban on it. We define it as:
 * - fail2ban: a line the stock filter installed in /etc/fail2ban/filter.d reports as a failure (not
 *   `<F-NOFAIL>`), run by the real `fail2ban-regex`, in the filter's default mode (the stock `[sshd]` jail
 *   uses `mode = normal`); `ddos` and `aggressive` modes are asked for separately where a test says so;
 * - CrowdSec: a line its `crowdsecurity/sshd-logs` parser tags `log_type: ssh_failed-auth`, the events its
 *   `ssh-bf` and `ssh-bf_user-enum` scenarios count. CrowdSec is not packaged with those parsers here, so
 *   their grok patterns are transcribed below from crowdsecurity/hub
 *   parsers/s01-parse/crowdsecurity/sshd-logs.yaml@0313ae62b5732b94fe51b986aac5821725a86726 (SSHD_INVALID_USER,
 *   SSHD_INVALID_BANNER, SSHD_PREAUTH_AUTHENTICATING_USER(_ALT), SSHD_AUTH_FAIL) and crowdsecurity/crowdsec
 *   config/patterns/ssh@2016167654f8071a2a21c6b1b8456da71af5a486 (SSHD_FAIL, SSHD_USER_FAIL).
 */

const IP = String.raw`(?:[0-9a-fA-F:]*:[0-9a-fA-F:.]+|\d{1,3}(?:\.\d{1,3}){3})`;
const USER = String.raw`[a-zA-Z0-9._-]+`;
export const CROWDSEC_SSH_FAILED_AUTH: RegExp[] = [
  new RegExp(String.raw`Failed \w+ for ${USER} from ${IP} port \d+ \w+`), // SSHD_FAIL
  new RegExp(String.raw`Failed password for invalid user ${USER} from ${IP} port \d+ \w+`), // SSHD_USER_FAIL
  new RegExp(String.raw`Invalid user\s*(?:${USER})? from ${IP}(?: port \d+)?`), // SSHD_INVALID_USER
  new RegExp(String.raw`banner exchange: Connection from ${IP} port \d+: invalid format`), // SSHD_INVALID_BANNER
  new RegExp(String.raw`Connection closed by authenticating user ${USER} ${IP} port \d+ \[preauth\]`),
  new RegExp(String.raw`Disconnected from authenticating user ${USER} ${IP} port \d+ \[preauth\]`),
  new RegExp(String.raw`pam_.*\(sshd:auth\): authentication failure; .* rhost=${IP}`), // SSHD_AUTH_FAIL
];

/** Lines of sshd's own log (no syslog prefix) that CrowdSec's ssh parser counts as failed authentications. */
export function crowdsecSshFailures(lines: string[]): string[] {
  return lines.filter((line) => CROWDSEC_SSH_FAILED_AUTH.some((re) => re.test(line)));
}

/**
 * The failures the installed fail2ban filter finds in `lines` (a daemon's messages without their syslog
 * prefix, which is added here as syslog would: date, host, `daemon[pid]:`). sshd serves each connection in a
 * process of its own and fail2ban ties a connection's lines together by that pid, so a new pid starts at each
 * `newConnection` line (the scans here open their connections one after another). One entry per failure: the
 * address fail2ban would count it against.
 */
export function fail2banFailures(
  lines: string[],
  filter: string,
  daemon: string,
  file: string,
  newConnection = /^Connection from /,
): Promise<string[]> {
  const date = new Date().toString().split(" ");
  // "Mon DD HH:MM:SS" as syslog writes it
  const stamp = `${date[1]} ${(date[2] ?? "").padStart(2, " ")} ${date[4]}`;
  let pid = 4000;
  const prefixed = lines.map((line) => {
    if (newConnection.test(line)) pid++;
    return `${stamp} hass ${daemon}[${pid}]: ${line}\n`;
  });
  writeFileSync(file, prefixed.join(""));
  return new Promise((resolve, reject) => {
    execFile("fail2ban-regex", ["--out", "ip", file, filter], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`fail2ban-regex ${filter}: ${error.message}\n${stderr}`));
      resolve(stdout.split("\n").filter((line) => line.trim() !== ""));
    });
  });
}
