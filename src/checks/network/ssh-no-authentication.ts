import { defineCheck } from "../../model/check.js";
import { hostPort, openPorts } from "./open-ports.js";

export const sshNoAuthentication = defineCheck({
  id: "ssh/no-authentication",
  title: "SSH lets anyone in without authentication",
  severity: "critical",
  area: "network",
  checklist: "password",
  formerIds: ["network/ssh-no-authentication"],
  needs: ["network"],
  description:
    "The SSH server accepted the `none` authentication method for an arbitrary user name: anyone who reaches " +
    "the port gets a session without a password or key. On a Home Assistant host that is the configuration, " +
    "its secrets and usually root.",
  remediation:
    "Stop the service now. For OpenSSH remove `PermitEmptyPasswords yes` and any `AuthenticationMethods none`; " +
    "for Dropbear remove `-B`. Then set up key login only and restart.",
  sources: ["RFC 4252 §5.2 (the server may accept `none` when no authentication is required)"],
  run(facts) {
    return openPorts(facts)
      .filter((open) => open.port.ssh?.noAuthentication === true)
      .map((open) => ({
        message: `SSH on ${hostPort(open)} accepted a login with no authentication at all.`,
        location: open.location,
        evidence: open.port.ssh?.banner,
      }));
  },
});
