import type { Check, CheckArea } from "../model/check.js";
import type { FactKind } from "../model/facts.js";
import { appdaemonHttpNoPassword } from "./config/appdaemon-http-no-password.js";
import { authCommandLineProvider } from "./config/auth-command-line-provider.js";
import { authLegacyApiPassword } from "./config/auth-legacy-api-password.js";
import { authTrustedNetworksBroad } from "./config/auth-trusted-networks-broad.js";
import { authTrustedNetworksBypass } from "./config/auth-trusted-networks-bypass.js";
import { authTrustedNetworksWithBroadProxies } from "./config/auth-trusted-networks-with-broad-proxies.js";
import { backupsArchiveInConfig } from "./config/backups-archive-in-config.js";
import { httpBroadTrustedProxies } from "./config/http-broad-trusted-proxies.js";
import { httpCorsWildcard } from "./config/http-cors-wildcard.js";
import { httpForwardedWithoutProxies } from "./config/http-forwarded-without-proxies.js";
import { httpIpBanDisabled } from "./config/http-ip-ban-disabled.js";
import { httpLegacyApiPassword } from "./config/http-legacy-api-password.js";
import { httpLoginThresholdUnset } from "./config/http-login-threshold-unset.js";
import { httpNoTls } from "./config/http-no-tls.js";
import { httpSslProfileIntermediate } from "./config/http-ssl-profile-intermediate.js";
import { httpYamlIgnoredAfterMigration } from "./config/http-yaml-ignored-after-migration.js";
import { integrationsNoTls } from "./config/integrations-no-tls.js";
import { integrationsVerifySslDisabled } from "./config/integrations-verify-ssl-disabled.js";
import { ipBansSelfBanRisk } from "./config/ip-bans-self-ban-risk.js";
import { privacyPersonalData } from "./config/privacy-personal-data.js";
import { configEntryCredentials } from "./config/secrets-config-entry-credentials.js";
import { credentialInFile } from "./config/secrets-credential-in-file.js";
import { secretFilePermissions } from "./config/secrets-file-permissions.js";
import { secretsGitTracked } from "./config/secrets-git-tracked.js";
import { inlineCredential } from "./config/secrets-inline-credential.js";
import { storageInGit } from "./config/secrets-storage-in-git.js";
import { storedCredentials } from "./config/secrets-stored-credentials.js";
import { undefinedSecret } from "./config/secrets-undefined-secret.js";
import { versionKnownAdvisories } from "./config/version-known-advisories.js";
import { wwwPublicFiles } from "./config/www-public-files.js";
import { wwwSensitiveFile } from "./config/www-sensitive-file.js";
import { zigbee2mqttFrontendNoAuth } from "./config/zigbee2mqtt-frontend-no-auth.js";
import { zigbee2mqttNetworkKeyInline } from "./config/zigbee2mqtt-network-key-inline.js";
import { authTrustedNetworksOffered } from "./network/auth-trusted-networks-offered.js";
import { httpNoFrameOptions } from "./network/http-no-frame-options.js";
import { httpNoHsts } from "./network/http-no-hsts.js";
import { httpPlainHttp } from "./network/http-plain-http.js";
import { httpServerVersion } from "./network/http-server-version.js";
import { ipBansScannerBanned } from "./network/ip-bans-scanner-banned.js";
import { mqttAnonymous } from "./network/mqtt-anonymous.js";
import { mqttTopicsLeak } from "./network/mqtt-topics-leak.js";
import { portsHomeAssistantReachable } from "./network/ports-home-assistant-reachable.js";
import { smbGuestShares } from "./network/smb-guest-shares.js";
import { smbShareListOpen } from "./network/smb-share-list-open.js";
import { smbSigningNotRequired } from "./network/smb-signing-not-required.js";
import { smbV1Enabled } from "./network/smb-v1-enabled.js";
import { sshNoAuthentication } from "./network/ssh-no-authentication.js";
import { sshPasswordAuth } from "./network/ssh-password-auth.js";
import { sshWeakAlgorithms } from "./network/ssh-weak-algorithms.js";
import { tlsCertExpired } from "./network/tls-cert-expired.js";
import { tlsNameMismatch } from "./network/tls-name-mismatch.js";
import { tlsOldProtocol } from "./network/tls-old-protocol.js";
import { tlsSelfSigned } from "./network/tls-self-signed.js";
import { tlsWeakKey } from "./network/tls-weak-key.js";
import { tlsWeakSignature } from "./network/tls-weak-signature.js";
import { upnpPortForward } from "./network/upnp-port-forward.js";
import { usersOnboardingOpen } from "./network/users-onboarding-open.js";
import { secretsStorageFileModes } from "./storage/secrets-storage-file-modes.js";
import { longLivedTokens } from "./storage/tokens-long-lived.js";
import { neverExpiringTokens } from "./storage/tokens-never-expiring.js";
import { unusedTokens } from "./storage/tokens-unused.js";
import { tokenPublicAddress } from "./storage/tokens-used-from-public-address.js";
import { adminNotLocalOnly } from "./storage/users-admin-not-local-only.js";
import { adminsList } from "./storage/users-admins.js";
import { inactiveUserTokens } from "./storage/users-inactive-with-tokens.js";
import { mfaNotSetUp } from "./storage/users-mfa-not-set-up.js";
import { usersNoMfa } from "./storage/users-no-mfa.js";
import { onboardingNotFinished } from "./storage/users-onboarding-not-finished.js";
import { trustedUsersUnknown } from "./storage/users-trusted-users-unknown.js";
import { unusedAdmins } from "./storage/users-unused-admins.js";
import { weakPasswords } from "./storage/users-weak-password.js";

/**
 * Every check hassguard knows, in catalogue order: the one registry. A check module that is not listed here
 * fails test/checks/registry.test.ts, and so does a listed check whose file does not follow the naming rule
 * (CONTRIBUTING.md, "Adding a check").
 */
export const allChecks: readonly Check[] = [
  // ---- config ----
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
  zigbee2mqttFrontendNoAuth,
  zigbee2mqttNetworkKeyInline,
  appdaemonHttpNoPassword,
  // ---- storage ----
  onboardingNotFinished,
  weakPasswords,
  usersNoMfa,
  mfaNotSetUp,
  adminsList,
  unusedAdmins,
  adminNotLocalOnly,
  inactiveUserTokens,
  longLivedTokens,
  unusedTokens,
  tokenPublicAddress,
  neverExpiringTokens,
  secretsStorageFileModes,
  trustedUsersUnknown,
  // ---- network ----
  // Home Assistant over HTTP(S)
  usersOnboardingOpen,
  authTrustedNetworksOffered,
  httpPlainHttp,
  httpNoFrameOptions,
  ipBansScannerBanned,
  portsHomeAssistantReachable,
  httpNoHsts,
  httpServerVersion,
  // TLS
  tlsOldProtocol,
  tlsCertExpired,
  tlsSelfSigned,
  tlsNameMismatch,
  tlsWeakKey,
  tlsWeakSignature,
  // SSH, MQTT, SMB and UPnP (protocol probes)
  sshNoAuthentication,
  sshPasswordAuth,
  sshWeakAlgorithms,
  mqttAnonymous,
  mqttTopicsLeak,
  smbGuestShares,
  smbShareListOpen,
  smbV1Enabled,
  smbSigningNotRequired,
  upnpPortForward,
];

/** The checks of one area (the folder they live in). */
export function checksOf(area: CheckArea): Check[] {
  return allChecks.filter((check) => check.area === area);
}

/** The checks that read a kind of facts, needed or used: `hassguard scan` runs those that read the network. */
export function checksReading(kind: FactKind): Check[] {
  return allChecks.filter((check) => check.needs.includes(kind) || check.uses.includes(kind));
}

/** The check with this id, or the one that was known by it before a rename. */
export function findCheck(id: string): Check | undefined {
  return allChecks.find((check) => check.id === id) ?? allChecks.find((check) => check.formerIds.includes(id));
}
