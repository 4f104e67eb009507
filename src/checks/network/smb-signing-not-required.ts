import { defineCheck } from "../../model/check.js";
import { hostPort, openPorts } from "./open-ports.js";

export const smbSigningNotRequired = defineCheck({
  id: "smb/signing-not-required",
  title: "SMB signing is not required",
  severity: "medium",
  area: "network",
  checklist: "tls",
  formerIds: ["network/smb-signing-not-required"],
  needs: ["network"],
  description:
    "The SMB server does not require message signing, so a machine in the path can alter traffic or relay a " +
    "user's NTLM login to this server (NTLM relay) and act as that user on the shares, which in the Home Assistant " +
    "Samba add-on include `config`, `ssl` and `backup` with write access.",
  remediation:
    "Set `server_signing: mandatory` in the Samba add-on (or `server signing = mandatory` in `smb.conf`). Every " +
    "supported Windows, macOS and Linux client signs.",
  sources: [
    "[MS-SMB2] §2.2.4 (SMB2_NEGOTIATE_SIGNING_REQUIRED in the negotiate response)",
    "smb.conf(5): server signing",
    "home-assistant/addons samba (server_signing option), see shared ha-facts.md §5",
  ],
  run(facts) {
    return openPorts(facts)
      .filter((open) => open.port.smb !== undefined && !open.port.smb.signingRequired)
      .map((open) => ({
        message: `The SMB server on ${hostPort(open)} does not require signing.`,
        location: open.location,
        evidence: `negotiate security mode without SIGNING_REQUIRED${open.port.smb?.dialect ? ` (dialect ${open.port.smb.dialect})` : ""}`,
      }));
  },
});
