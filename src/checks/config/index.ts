import type { Check } from "../../model/check.js";
import { appdaemonHttpNoPassword } from "./appdaemon-http-no-password.js";
import { authCommandLineProvider } from "./auth-command-line-provider.js";
import { authLegacyApiPassword } from "./auth-legacy-api-password.js";
import { authTrustedNetworksBroad } from "./auth-trusted-networks-broad.js";
import { authTrustedNetworksBypass } from "./auth-trusted-networks-bypass.js";
import { authTrustedNetworksWithBroadProxies } from "./auth-trusted-networks-with-broad-proxies.js";
import { backupsArchiveInConfig } from "./backups-archive-in-config.js";
import { configEntryCredentials } from "./config-entry-credentials.js";
import { credentialInFile } from "./credential-in-file.js";
import { secretFilePermissions } from "./file-permissions.js";
import { secretsGitTracked } from "./git-tracked.js";
import { httpBroadTrustedProxies } from "./http-broad-trusted-proxies.js";
import { httpCorsWildcard } from "./http-cors-wildcard.js";
import { httpForwardedWithoutProxies } from "./http-forwarded-without-proxies.js";
import { httpIpBanDisabled } from "./http-ip-ban-disabled.js";
import { httpLegacyApiPassword } from "./http-legacy-api-password.js";
import { httpLoginThresholdUnset } from "./http-login-threshold-unset.js";
import { httpNoTls } from "./http-no-tls.js";
import { httpSslProfileIntermediate } from "./http-ssl-profile-intermediate.js";
import { httpYamlIgnoredAfterMigration } from "./http-yaml-ignored.js";
import { inlineCredential } from "./inline-credential.js";
import { integrationsNoTls } from "./integrations-no-tls.js";
import { integrationsVerifySslDisabled } from "./integrations-verify-ssl-disabled.js";
import { ipBansSelfBanRisk } from "./ip-bans-self-ban-risk.js";
import { privacyPersonalData } from "./privacy-personal-data.js";
import { storageInGit } from "./storage-in-git.js";
import { storedCredentials } from "./stored-credentials.js";
import { undefinedSecret } from "./undefined-secret.js";
import { versionKnownAdvisories } from "./version-known-advisories.js";
import { wwwPublicFiles } from "./www-public-files.js";
import { wwwSensitiveFile } from "./www-sensitive-file.js";
import { zigbee2mqttFrontendOpen } from "./zigbee2mqtt-frontend-open.js";
import { zigbee2mqttNetworkKeyInline } from "./zigbee2mqtt-network-key-inline.js";

/** The config checks, in catalogue order. Add each new check module here. */
export const configChecks: Check[] = [
  // secrets
  inlineCredential,
  undefinedSecret,
  secretFilePermissions,
  secretsGitTracked,
  storageInGit,
  credentialInFile,
  configEntryCredentials,
  storedCredentials,
  // http
  httpNoTls,
  httpIpBanDisabled,
  httpLoginThresholdUnset,
  httpForwardedWithoutProxies,
  httpBroadTrustedProxies,
  httpCorsWildcard,
  httpLegacyApiPassword,
  httpSslProfileIntermediate,
  httpYamlIgnoredAfterMigration,
  // auth providers
  authTrustedNetworksBypass,
  authTrustedNetworksBroad,
  authTrustedNetworksWithBroadProxies,
  authLegacyApiPassword,
  authCommandLineProvider,
  // sharing, public files, bans, integrations, backups, version
  privacyPersonalData,
  wwwPublicFiles,
  wwwSensitiveFile,
  ipBansSelfBanRisk,
  integrationsNoTls,
  integrationsVerifySslDisabled,
  backupsArchiveInConfig,
  versionKnownAdvisories,
  // software beside Home Assistant in the same folder
  zigbee2mqttFrontendOpen,
  zigbee2mqttNetworkKeyInline,
  appdaemonHttpNoPassword,
];
