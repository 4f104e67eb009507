import { defineCheck } from "../../model/check.js";
import { problemKey } from "../../model/problems.js";
import { hostPort, openPorts } from "./open-ports.js";

export const usersOnboardingOpen = defineCheck({
  id: "users/onboarding-open",
  title: "Home Assistant has no owner yet: anyone who reaches it can create one",
  severity: "critical",
  area: "network",
  checklist: "users",
  formerIds: ["network/ha-onboarding-open"],
  needs: ["network"],
  description:
    "A new Home Assistant asks its first visitor to create the owner account (onboarding). Until that step is " +
    "done, `POST /api/onboarding/users` needs no password: whoever reaches the port first becomes the " +
    "administrator, with full control of the home and of the machine through add-ons. hassguard asks " +
    "`GET /api/onboarding`, which Home Assistant answers without login, and reports the port when the `user` " +
    "step is not done. Before 2026.6.0 the onboarding window also allowed an unauthenticated backup upload " +
    "that writes files anywhere (CVE-2026-64825).",
  remediation:
    "Open Home Assistant in a browser now and create the owner account, or stop it until you can. Do not expose " +
    "a new installation to any network you do not control before onboarding is finished.",
  sources: [
    "https://github.com/home-assistant/core/blob/dev/homeassistant/components/onboarding/views.py (UserOnboardingView: no auth until the user step is done)",
    "shared/ha-facts.md §3 (GET /api/onboarding, POST /api/onboarding/users)",
    "cvelistV5 CVE-2026-64825 (onboarding backup upload path traversal, fixed 2026.6.0)",
  ],
  run(facts) {
    return openPorts(facts).flatMap((open) => {
      const steps = open.port.http?.homeAssistant?.onboarding;
      const user = steps?.find((s) => s.step === "user");
      if (user === undefined || user.done) return [];
      return [
        {
          message: `Home Assistant at ${hostPort(open)} has not finished onboarding: its owner account does not exist yet, so the first visitor can create it.`,
          location: open.location,
          evidence: `GET /api/onboarding: ${steps?.map((s) => `${s.step}=${s.done ? "done" : "not done"}`).join(", ")}`,
          problem: problemKey.onboardingOpen(),
        },
      ];
    });
  },
});
