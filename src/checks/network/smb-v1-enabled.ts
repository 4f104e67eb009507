import { defineCheck } from "../../model/check.js";
import { hostPort, openPorts } from "./open-ports.js";

export const smbV1Enabled = defineCheck({
  id: "smb/v1-enabled",
  title: "SMB1 is still accepted",
  severity: "high",
  area: "network",
  checklist: "ports",
  formerIds: ["network/smb1-enabled"],
  needs: ["network"],
  description:
    "The file server still negotiates SMB1 (`NT LM 0.12`), a 1980s protocol without the protections of SMB2/3: " +
    "no pre-authentication integrity, weak signing, and the code path of wormable bugs such as EternalBlue " +
    "(CVE-2017-0144) and SambaCry-era flaws. In the Home Assistant Samba add-on it is what `compatibility_mode: true` " +
    "turns on.",
  remediation:
    "Turn SMB1 off: set `compatibility_mode: false` in the Samba add-on, or `server min protocol = SMB2_10` (or higher) " +
    "in `smb.conf`. Clients old enough to need SMB1 should be replaced or updated.",
  sources: [
    "https://techcommunity.microsoft.com/t5/storage-at-microsoft/stop-using-smb1/ba-p/425858",
    "CVE-2017-0144 (EternalBlue, SMBv1)",
    "home-assistant/addons samba (compatibility_mode sets server min protocol = NT1), see shared ha-facts.md §5",
    "[MS-CIFS] §2.2.4.52 (SMB_COM_NEGOTIATE)",
  ],
  run(facts) {
    return openPorts(facts)
      .filter((open) => open.port.smb?.smb1 === true)
      .map((open) => ({
        message: `The SMB server on ${hostPort(open)} accepts SMB1.`,
        location: open.location,
        evidence: `NT LM 0.12 accepted${open.port.smb?.dialect ? `; best SMB2/3 dialect ${open.port.smb.dialect}` : "; no SMB2/3"}`,
      }));
  },
});
