import { defineCheck } from "../../model/check.js";
import { keysOf } from "./secrets-config-entry-credentials.js";
import { storedFileExposure, storeSecrets } from "./stored-secrets.js";

export const storedCredentials = defineCheck({
  id: "secrets/stored-credentials",
  title: "Keys, pairing secrets and account tokens in .storage or .cloud",
  severity: "medium",
  area: "config",
  checklist: "secrets",
  needs: ["config"],
  description:
    "Besides the integrations' settings, Home Assistant and custom integrations keep other secrets in `.storage` " +
    "and `.cloud`: the HomeKit bridge's private pairing key (`homekit.*.state`), the Home Assistant Cloud session " +
    "(`.cloud/*_auth.json`: its refresh token signs in to the Nabu Casa account) and cloudhook URLs, the OAuth " +
    "client secrets of application credentials, the backup encryption password, and the cached account tokens of " +
    "custom integrations. Each store is searched (bounded) for secret-named keys and for credential shapes (tokens, " +
    "private keys, URLs with passwords). A live installation holds them legitimately, so nothing is reported there " +
    "unless the files are readable by every account (low). Tracked by git they are high, not ignored by git or in a " +
    "folder prepared for sharing medium. The auth stores (`auth`, `auth_provider.*`, `auth_module.*`) have their own " +
    "checks, the config entries `secrets/config-entry-credentials`; camera tokens cached in `core.restore_state` " +
    "rotate every few minutes and are not reported.",
  remediation:
    "Keep `.storage/` and `.cloud/` out of git and shared copies. If they were committed or shared: log out of Home " +
    "Assistant Cloud and back in (a new session), reset the HomeKit bridge's pairing (remove and re-add the bridge), " +
    "create new OAuth client secrets, change the backup password, and sign the custom integrations in again. On a " +
    "machine with other accounts, `chmod 600` the files and `chmod 700` the folders.",
  sources: [
    "hass-nabucasa cloud.py (_write_user_info: id_token, access_token, refresh_token in .cloud/<mode>_auth.json, mode 0o600)",
    "HAP-python accessory_driver.py (AccessoryEncoder.persist: the bridge's private_key in the state file)",
    "homeassistant/components/cloud/const.py (PREF_CLOUDHOOKS, PREF_GOOGLE_SECURE_DEVICES_PIN)",
    "homeassistant/components/application_credentials/__init__.py (client_id, client_secret in .storage/application_credentials)",
  ],
  run(facts) {
    const config = facts.config;
    if (config === undefined) return [];
    return storeSecrets(config).flatMap((store) => {
      const exposure = storedFileExposure(config, store.file);
      if (exposure === undefined) return [];
      return [
        {
          severity: exposure.severity,
          message: `${store.file} holds ${keysOf(store.secrets)} (${store.what}), and ${exposure.why}.`,
          location: store.location,
          evidence: store.secrets
            .slice(0, 6)
            .map((s) => `${s.key}: ***`)
            .join(", "),
        },
      ];
    });
  },
});
