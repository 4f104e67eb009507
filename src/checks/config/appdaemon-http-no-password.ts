import { defineCheck } from "../../model/check.js";
import type { FindingDraft } from "../../model/finding.js";
import { get, scalarString } from "../../model/yaml-node.js";
import { bindsLocally, companionsOf, isSet } from "./companion-settings.js";
import { parseUrl } from "./http-settings.js";
import { at } from "./where.js";

/** The top-level sections that put something behind AppDaemon's HTTP component. */
const SERVED = ["admin", "api", "hadashboard", "old_admin"];

export const appdaemonHttpNoPassword = defineCheck({
  id: "appdaemon/http-no-password",
  title: "AppDaemon web interface without a password",
  severity: "medium",
  area: "config",
  checklist: "remote-access",
  needs: ["config"],
  description:
    "AppDaemon's HTTP component serves its admin interface (threads, callbacks, every entity's state), the " +
    "HADashboard dashboards (which switch devices) and the app API on the `http: url:` address. Without " +
    "`http: password:` none of them asks who is calling: anyone who reaches the port can watch the home and act " +
    "through the dashboards and apps, with the Home Assistant token AppDaemon holds. Bound to this machine only " +
    "it is not reported.",
  remediation:
    "Set `http: password: !secret appdaemon_password` (AppDaemon's own `secrets.yaml`), or bind `http: url:` to " +
    "`http://127.0.0.1:5050` and reach it through a proxy that asks for a login.",
  sources: [
    "AppDaemon docs/CONFIGURE.rst (Configuring the HTTP Component: `url`, `password`; `admin:`, `api:`, `hadashboard:`)",
  ],
  run(facts) {
    const config = facts.config;
    const findings: FindingDraft[] = [];
    for (const companion of companionsOf(config, "appdaemon")) {
      const http = get(companion.root, "http");
      const url = scalarString(get(http, "url"));
      if (http === undefined || url === undefined || isSet(get(http, "password"))) continue;
      const served = SERVED.filter((key) => get(companion.root, key) !== undefined);
      if (served.length === 0) continue;
      const host = parseUrl(url)?.hostname;
      if (bindsLocally(host)) continue;
      findings.push({
        message: `AppDaemon serves ${served.join(", ")} at ${url} without a password: anyone who reaches it can watch and act on the home.`,
        location: at(http.pos),
        evidence: `http: url ${url}, no password`,
      });
    }
    return findings;
  },
});
