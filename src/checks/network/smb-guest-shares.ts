import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { hostPort, openPorts } from "./open-ports.js";

/**
 * Shares of the Home Assistant Samba add-on that hold secrets: `secrets.yaml` and `.storage` (tokens, users),
 * TLS private keys, full backups, and add-on options with their passwords.
 */
const SECRET_SHARES = new Set(["config", "backup", "ssl", "addon_configs", "app_configs"]);

export const smbGuestShares = defineCheck({
  id: "smb/guest-shares",
  title: "SMB shares open without a password",
  severity: "high",
  area: "network",
  checklist: "password",
  formerIds: ["network/smb-guest-shares"],
  needs: ["network"],
  description:
    "A share could be opened with an anonymous or guest logon, that is without any password. The Home Assistant " +
    "Samba add-on's `config` share holds `secrets.yaml` and `.storage` (users, tokens), `ssl` the private keys and " +
    "`backup` complete backups: reading any of them without a password gives away the whole home; the add-on also " +
    "makes them writable.",
  remediation:
    "Set a `username` and `password` in the Samba add-on and do not allow guests (no `guest ok = yes`, " +
    "`map to guest = Never` in `smb.conf`). Limit `allow_hosts` to your LAN and never forward ports 139/445.",
  sources: [
    "home-assistant/addons samba (enabled_shares: config, ssl, backup, … all writeable), see shared ha-facts.md §5",
    "shared seeds: ha-blog-2018-security-port-scans.md (set a username and password and don't allow guests)",
    "[MS-SMB2] §2.2.6 (SMB2_SESSION_FLAG_IS_GUEST / IS_NULL)",
  ],
  run(facts) {
    return openPorts(facts).flatMap((open): FindingDraft[] => {
      const smb = open.port.smb;
      if (smb === undefined) return [];
      if (smb.sessionsNotAsked) {
        return [
          {
            severity: "info" as const,
            message:
              `Whether the shares on ${hostPort(open)} open without a password was not tried: an anonymous or guest ` +
              "logon is logged by Samba as a failed authentication. Run the scan with --login-probes to try, or check " +
              "that the Samba add-on has a password and no `guest ok = yes`.",
            location: open.location,
            evidence: `SMB ${smb.dialect ?? "1"}${smb.serverName ? `, ${smb.serverName}` : ""}`,
          },
        ];
      }
      const who = smb.guestSession ? "a guest" : "an anonymous user";
      return smb.shares
        .filter((share) => share.accessible)
        .map((share) => {
          const secret = SECRET_SHARES.has(share.name.toLowerCase());
          const readable = share.readable === true;
          return {
            severity:
              secret && readable ? ("critical" as const) : secret || readable ? ("high" as const) : ("medium" as const),
            message:
              `The share \`${share.name}\` on ${hostPort(open)} opens for ${who}` +
              (readable ? " and its files can be listed" : "") +
              (secret ? ": it holds Home Assistant secrets." : "."),
            location: open.location,
            evidence: share.sampleEntries?.length
              ? `root entries: ${share.sampleEntries.join(", ")}`
              : `\\\\${smb.serverName ?? open.host.address}\\${share.name}`,
          };
        });
    });
  },
});
