import { defineCheck } from "../../model/check.js";
import { hostPort, openPorts } from "./open-ports.js";

export const authTrustedNetworksOffered = defineCheck({
  id: "auth/trusted-networks-offered",
  title: "Home Assistant lets this network log in without a password (trusted_networks)",
  severity: "high",
  area: "network",
  checklist: "password",
  formerIds: ["network/ha-trusted-networks-offered"],
  needs: ["network"],
  description:
    "The `trusted_networks` auth provider logs in anyone whose address is in a configured network, with no " +
    "password and no second factor. Home Assistant lists it in `GET /auth/providers` only to callers whose " +
    "address it trusts — so when hassguard sees it offered, the machine running the scan (and anything else " +
    "on that network, or anything that can appear to come from it through a proxy) can log in password-free.",
  remediation:
    "Remove `trusted_networks` from `homeassistant: auth_providers:` or narrow `trusted_networks:` to single " +
    "addresses of devices you control (a wall tablet), with `allow_bypass_login: false`. Never trust a whole " +
    "LAN or a reverse proxy's address.",
  sources: [
    "https://www.home-assistant.io/docs/authentication/providers/#trusted-networks",
    "shared/ha-facts.md §3 (GET /auth/providers lists trusted_networks only to trusted callers)",
  ],
  run(facts) {
    return openPorts(facts).flatMap((open) => {
      const providers = open.port.http?.homeAssistant?.authProviders;
      if (!providers?.includes("trusted_networks")) return [];
      return [
        {
          message: `Home Assistant at ${hostPort(open)} offers the trusted_networks login to this scanner's address: no password is needed from here.`,
          location: open.location,
          evidence: `GET /auth/providers: ${providers.join(", ")}`,
        },
      ];
    });
  },
});
