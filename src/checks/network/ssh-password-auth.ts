import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { problemKey } from "../../model/problems.js";
import { hostPort, openPorts } from "./open-ports.js";

/** Methods where the server checks something a person types (keyboard-interactive is PAM's password). */
const PASSWORD_METHODS = ["password", "keyboard-interactive"];
/** Home Assistant OS's debug SSH: root on the host, meant for keys only. */
const HAOS_DEBUG_SSH_PORT = 22222;

export const sshPasswordAuth = defineCheck({
  id: "ssh/password-auth",
  title: "SSH accepts passwords",
  severity: "medium",
  area: "network",
  checklist: "password",
  formerIds: ["network/ssh-password-auth"],
  needs: ["network"],
  description:
    "The SSH server offers password (or keyboard-interactive) login. Anyone who can reach the port can guess " +
    "passwords without limit, and the Home Assistant SSH add-on logs in as root with access to the configuration, " +
    "`secrets.yaml`, the certificates and the backups. Port 22222 is Home Assistant OS's debug SSH into the host " +
    "itself, which is meant to accept keys only.",
  remediation:
    "Use key login only: in the Terminal & SSH add-on put your public key in `authorized_keys` and leave `password` " +
    "empty (the add-on then writes `PasswordAuthentication no`). For another sshd, set `PasswordAuthentication no` " +
    "and `KbdInteractiveAuthentication no` in `sshd_config`, and `PermitRootLogin prohibit-password`. Never forward " +
    "the SSH port on the router.",
  sources: [
    "RFC 4252 §5.2 and §8 (the `none` request lists the methods that can continue; password method)",
    "home-assistant/addons ssh/rootfs (sshd_config template: PasswordAuthentication follows the add-on options), see shared ha-facts.md §5",
    "shared seeds: ha-docs-securing-checklist.md (use SSH keys instead of passwords)",
    "shared seeds: ha-blog-2018-security-port-scans.md (port 22222 only supports login with a key)",
  ],
  run(facts) {
    return openPorts(facts).flatMap((open): FindingDraft[] => {
      if (open.port.ssh?.authMethodsNotAsked) {
        return [
          {
            severity: "info",
            message:
              `Whether SSH on ${hostPort(open)} accepts passwords was not asked: the only way to ask is a login ` +
              "request, which sshd logs as a failed login (fail2ban and CrowdSec count it). Run the scan with " +
              "--login-probes to ask, or check `PasswordAuthentication` in its sshd_config.",
            location: open.location,
            evidence: open.port.ssh.banner,
          },
        ];
      }
      const offered = (open.port.ssh?.authMethods ?? []).filter((m) => PASSWORD_METHODS.includes(m));
      if (offered.length === 0) return [];
      const debugPort = open.port.port === HAOS_DEBUG_SSH_PORT;
      return [
        {
          ...(debugPort ? { severity: "high" as const } : {}),
          message:
            `SSH on ${hostPort(open)} offers ${offered.join(" and ")} login` +
            (debugPort ? " on Home Assistant OS's debug port, which gives root on the host." : "."),
          location: open.location,
          evidence: `auth methods: ${open.port.ssh?.authMethods?.join(",")}; ${open.port.ssh?.banner ?? ""}`.trim(),
          problem: problemKey.sshPasswordLogin(open.port.port),
        },
      ];
    });
  },
});
