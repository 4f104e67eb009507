import { defineCheck } from "../../model/check.js";
import { problemKey } from "../../model/problems.js";
import { hostPort, openPorts } from "./open-ports.js";

export const httpPlainHttp = defineCheck({
  id: "http/plain-http",
  title: "Home Assistant is served without encryption (plain HTTP)",
  severity: "medium",
  area: "network",
  checklist: "tls",
  formerIds: ["network/ha-plain-http"],
  needs: ["network"],
  description:
    "Over plain HTTP the password typed at login, the tokens the apps keep and every state change cross the " +
    "network readable by anyone on the path (shared Wi-Fi, a compromised device, the provider). On a home " +
    "LAN this is common and a moderate risk; reachable from the Internet it is a serious one.",
  remediation:
    "Serve Home Assistant over HTTPS: Nabu Casa's remote UI, a reverse proxy with a Let's Encrypt certificate " +
    "(with `use_x_forwarded_for` and `trusted_proxies` set), or `http: ssl_certificate`/`ssl_key`. Keep plain " +
    "HTTP reachable only from the LAN if at all.",
  sources: [
    "https://www.home-assistant.io/integrations/http/#ssl_certificate",
    "shared/seeds (community checklists: encrypt traffic)",
  ],
  run(facts) {
    return openPorts(facts).flatMap((open) => {
      const http = open.port.http;
      if (http === undefined || http.tls || http.homeAssistant === undefined) return [];
      return [
        {
          message: `Home Assistant at ${hostPort(open)} answers over plain HTTP: logins and tokens travel unencrypted.`,
          location: open.location,
          evidence: `http://${hostPort(open)}/ answered ${http.status}`,
          problem: problemKey.plainHttp(),
        },
      ];
    });
  },
});
