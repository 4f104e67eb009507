import { defineCheck } from "../../model/check.js";
import { get, scalarString } from "../../model/yaml-node.js";
import { authProviders } from "./auth-providers.js";
import { at } from "./where.js";

export const authCommandLineProvider = defineCheck({
  id: "auth/command-line-provider",
  title: "command_line auth provider runs a program for every login",
  severity: "medium",
  area: "config",
  checklist: "password",
  needs: ["config"],
  description:
    "The `command_line` auth provider runs a program for each login attempt and passes it the username and " +
    "password typed by whoever is at the login page. The security of every login now rests on that script: how " +
    "it handles hostile input, whether it rate-limits, logs passwords or fails open, and who can modify it. It " +
    "is legitimate (LDAP, RADIUS), but deserves a review.",
  remediation:
    "Review the command: it must treat the credentials as untrusted input, never log them, fail closed, and be " +
    "writable only by root. Prefer Home Assistant's own users with MFA where possible.",
  sources: [
    "https://www.home-assistant.io/docs/authentication/providers/#command-line",
    "homeassistant/auth/providers/command_line.py",
  ],
  run(facts) {
    const config = facts.config;
    return authProviders(config)
      .filter((p) => p.type === "command_line")
      .map((p) => ({
        message: `The command_line auth provider runs \`${scalarString(get(p.node, "command")) ?? "(no command)"}\` with every login attempt's username and password.`,
        location: at(p.typeEntry.value.pos),
        evidence: `type: command_line, command: ${scalarString(get(p.node, "command")) ?? "(none)"}`,
      }));
  },
});
