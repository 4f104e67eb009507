import { defineCheck } from "../../model/check.js";
import { hostPort, openPorts } from "./open-ports.js";

export const httpServerVersion = defineCheck({
  id: "http/server-version",
  title: "Web server tells its software versions",
  severity: "low",
  area: "network",
  checklist: "reverse-proxy",
  formerIds: ["network/http-server-version"],
  needs: ["network"],
  description:
    "A `Server` header such as `Python/3.11 aiohttp/3.8.4` tells an attacker which known bugs to try. Home " +
    "Assistant blanks the header on its pages, but not on the WebSocket upgrade every browser of the frontend " +
    "makes, nor on the 403 it sends to a banned address: both are sent by aiohttp before Home Assistant's header " +
    "middleware runs. The evidence names the ordinary request whose answer carried the header; the scanner quotes " +
    "no answer to a malformed request or to another protocol's probe.",
  remediation:
    "Put a reverse proxy in front that replaces the header (nginx: `proxy_hide_header Server;` with " +
    "`server_tokens off;`), and keep Home Assistant and its Python runtime updated.",
  sources: [
    "shared/fixtures/ha/2023.11.3/pre-onboarding/08-websocket-hello.json (101 with Server: Python/3.11 aiohttp/3.8.4)",
    "shared/fixtures/ha/2023.11.3/pre-onboarding/01-GET-root.http (pages: empty Server header)",
    "shared/fixtures/ha/2023.11.3/failed-logins/banned-*.http (403 with the same Server header)",
  ],
  run(facts) {
    return openPorts(facts).flatMap((open) => {
      const versions = open.port.http?.serverVersions ?? [];
      if (versions.length === 0) return [];
      return [
        {
          message: `${hostPort(open)} names its server software and version in the Server header.`,
          location: open.location,
          evidence: versions.map((v) => `${v.request}: Server: ${v.server}`).join(" | "),
        },
      ];
    });
  },
});
