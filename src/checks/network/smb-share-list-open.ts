import { defineCheck } from "../../model/check.js";
import { hostPort, openPorts } from "./open-ports.js";

export const smbShareListOpen = defineCheck({
  id: "smb/share-list-open",
  title: "SMB share list readable without a password",
  severity: "low",
  area: "network",
  checklist: "password",
  formerIds: ["network/smb-share-list-open"],
  needs: ["network"],
  description:
    "Without any password (a null session or a guest logon), the server's share list could be read over srvsvc. " +
    "It tells anyone on the network what the machine holds (for Home Assistant: `config`, `ssl`, `backup`) and " +
    "where to aim password guessing. It also shows the server still accepts password-less sessions.",
  remediation:
    "In `smb.conf` set `restrict anonymous = 2` and `map to guest = Never` (the Home Assistant Samba add-on: set a " +
    "username and password, allow no guests), and keep `allow_hosts` to your LAN.",
  sources: [
    "[MS-SRVS] §3.1.4.8 (NetrShareEnum)",
    "smb.conf(5): restrict anonymous, map to guest",
    "shared seeds: ha-blog-2018-security-port-scans.md (it's possible to enumerate the shares)",
  ],
  run(facts) {
    return openPorts(facts)
      .filter((open) => open.port.smb?.sharesEnumerated === true)
      .map((open) => {
        const smb = open.port.smb;
        const names = (smb?.shares ?? []).filter((s) => s.listed).map((s) => s.name);
        return {
          message:
            `The SMB server on ${hostPort(open)} lists its shares to ${smb?.guestSession ? "a guest" : "an anonymous user"}` +
            (names.length > 0 ? `: ${names.join(", ")}.` : "."),
          location: open.location,
          evidence: `srvsvc NetrShareEnum answered without credentials`,
        };
      });
  },
});
