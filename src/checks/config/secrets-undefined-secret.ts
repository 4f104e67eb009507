import { defineCheck } from "../../model/check.js";
import { at } from "./where.js";

export const undefinedSecret = defineCheck({
  id: "secrets/undefined-secret",
  title: "`!secret` name not defined in any secrets.yaml",
  severity: "low",
  area: "config",
  checklist: "secrets",
  needs: ["config"],
  description:
    "A `!secret NAME` is used but no `secrets.yaml` from the using file's folder up to the configuration folder " +
    'defines NAME. Home Assistant refuses the whole configuration file with "Secret NAME not defined", so the ' +
    "integration (or Home Assistant itself) does not start. That is a breakage rather than an exposure (low), " +
    "but the quick fix people reach for under that pressure is pasting the password inline, which is how " +
    "credentials end up in shared configurations.",
  remediation:
    "Add `NAME: value` to the `secrets.yaml` in the configuration folder (or in a folder between it and the file " +
    "that uses the secret), or correct the spelling of the name.",
  sources: [
    'homeassistant/util/yaml/loader.py (Secrets.get: "Secret {name} not defined")',
    "https://www.home-assistant.io/docs/configuration/secrets/",
  ],
  run(facts) {
    const config = facts.config;
    return config.secretReferences
      .filter((ref) => !ref.found)
      .map((ref) => ({
        message: `\`!secret ${ref.name}\` is not defined in any secrets.yaml between ${ref.pos.file} and the configuration folder.`,
        location: at(ref.pos),
        evidence: `!secret ${ref.name}`,
      }));
  },
});
